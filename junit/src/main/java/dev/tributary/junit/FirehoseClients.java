package dev.tributary.junit;

import java.net.URI;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.firehose.FirehoseAsyncClient;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/** Builds Firehose clients; loaded only when a test asks for one (see {@link OptionalClients}). */
final class FirehoseClients {
    private FirehoseClients() {
    }

    static SdkClient sync(URI endpoint) {
        return FirehoseClient.builder()
                .endpointOverride(endpoint)
                .region(TributaryServer.REGION)
                .credentialsProvider(TributaryServer.credentials())
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    static SdkClient async(URI endpoint) {
        return FirehoseAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(TributaryServer.REGION)
                .credentialsProvider(TributaryServer.credentials())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .build();
    }
}
