package dev.tributary.bench;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.CreateStreamRequest;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryResponse;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

/**
 * The handful of Kinesis calls the scenarios make, over either SDK client: the sync client on the
 * Apache HTTP client (default) or the async client on Netty, joined so scenario code stays
 * blocking. Retries are off, so every throttle or failure shows up as an error in the results
 * instead of as hidden latency. Thread-safe (both SDK clients are).
 */
final class Kinesis implements AutoCloseable {
    private final KinesisClient sync;
    private final KinesisAsyncClient async;

    private Kinesis(KinesisClient sync, KinesisAsyncClient async) {
        this.sync = sync;
        this.async = async;
    }

    static Kinesis create(URI endpoint, String client, int connections) {
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIDTRIBUTARYBENCH", "tributary-bench-fake-secret"));
        ClientOverrideConfiguration override = ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .apiCallTimeout(Duration.ofSeconds(60))
                .build();
        if (client.equals("netty")) {
            return new Kinesis(null, KinesisAsyncClient.builder()
                    .region(Region.US_EAST_1)
                    .credentialsProvider(credentials)
                    .endpointOverride(endpoint)
                    .overrideConfiguration(override)
                    .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                            .maxConcurrency(connections)
                            .connectionAcquisitionTimeout(Duration.ofSeconds(30)))
                    .build());
        }
        return new Kinesis(KinesisClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .endpointOverride(endpoint)
                .overrideConfiguration(override)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(connections)
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60)))
                .build(), null);
    }

    PutRecordsResponse putRecords(PutRecordsRequest r) {
        return sync != null ? sync.putRecords(r) : join(async.putRecords(r));
    }

    PutRecordResponse putRecord(PutRecordRequest r) {
        return sync != null ? sync.putRecord(r) : join(async.putRecord(r));
    }

    GetRecordsResponse getRecords(GetRecordsRequest r) {
        return sync != null ? sync.getRecords(r) : join(async.getRecords(r));
    }

    GetShardIteratorResponse getShardIterator(GetShardIteratorRequest r) {
        return sync != null ? sync.getShardIterator(r) : join(async.getShardIterator(r));
    }

    ListShardsResponse listShards(ListShardsRequest r) {
        return sync != null ? sync.listShards(r) : join(async.listShards(r));
    }

    void createStream(CreateStreamRequest r) {
        if (sync != null) {
            sync.createStream(r);
        } else {
            join(async.createStream(r));
        }
    }

    DescribeStreamSummaryResponse describeStreamSummary(DescribeStreamSummaryRequest r) {
        return sync != null ? sync.describeStreamSummary(r) : join(async.describeStreamSummary(r));
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        if (sync != null) {
            sync.close();
        } else {
            async.close();
        }
    }
}
