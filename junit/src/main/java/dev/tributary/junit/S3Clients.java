package dev.tributary.junit;

import java.net.URI;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds S3 clients for the objects Firehose delivers: path-style ({@code http://host:port/bucket/key}),
 * as Tributary serves S3. Loaded only when a test asks for one (see {@link OptionalClients}).
 */
final class S3Clients {
    private S3Clients() {
    }

    static SdkClient sync(URI endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(TributaryServer.REGION)
                .credentialsProvider(TributaryServer.credentials())
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    static SdkClient async(URI endpoint) {
        return S3AsyncClient.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(TributaryServer.REGION)
                .credentialsProvider(TributaryServer.credentials())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .build();
    }
}
