package dev.tributary.junit;

import dev.tributary.emulator.time.ControlClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListStreamsResponse;

/**
 * A running in-memory Tributary as a test sees it: its endpoint, its clock, and clients for it.
 * The clients use region {@code us-east-1} and the static credentials {@code test}/{@code test}
 * (account {@code 000000000000}); they are built on first use and closed with the server.
 *
 * <p>Thread-safe.
 */
public final class TributaryServer implements AutoCloseable {
    /** The region of the injected clients. */
    public static final Region REGION = Region.US_EAST_1;
    /** The access key id and secret of the injected clients. */
    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "test";

    private final dev.tributary.emulator.Tributary emulator;
    private final HttpClient control = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private KinesisClient sync;
    private KinesisAsyncClient async;
    /** Firehose and S3 clients, by type (optional SDK modules: see {@link OptionalClients}). */
    private final java.util.Map<Class<?>, SdkClient> others = new java.util.LinkedHashMap<>();
    private boolean closed;

    TributaryServer(dev.tributary.emulator.Tributary emulator) {
        this.emulator = emulator;
    }

    /** {@code http://127.0.0.1:<port>}, for {@code endpointOverride}. */
    public URI endpoint() {
        return emulator.endpoint();
    }

    /** The port the server listens on. */
    public int port() {
        return emulator.port();
    }

    /** The Kafka listener's {@code bootstrap.servers} (a free port per server), for kafka-clients. */
    public String kafkaBootstrapServers() {
        return emulator.kafkaBootstrapServers();
    }

    /**
     * The server's clock: {@code advance(Duration)} moves every time-dependent behaviour forward at
     * once (iterator expiry, retention, stream state transitions), {@code pin(Instant)} fixes it.
     * It never moves backwards, so it is not reset between tests.
     */
    public ControlClock clock() {
        return emulator.clock();
    }

    /** The emulator itself, for what this handle does not cover. */
    public dev.tributary.emulator.Tributary emulator() {
        return emulator;
    }

    /** The synchronous client (Apache HTTP), built on first use. */
    public synchronized KinesisClient kinesis() {
        checkOpen();
        if (sync == null) {
            sync = KinesisClient.builder()
                    .endpointOverride(endpoint())
                    .region(REGION)
                    .credentialsProvider(credentials())
                    .httpClientBuilder(ApacheHttpClient.builder())
                    .build();
        }
        return sync;
    }

    /** The asynchronous client (Netty, HTTP/2 as the SDK uses for Kinesis), built on first use. */
    public synchronized KinesisAsyncClient kinesisAsync() {
        checkOpen();
        if (async == null) {
            async = KinesisAsyncClient.builder()
                    .endpointOverride(endpoint())
                    .region(REGION)
                    .credentialsProvider(credentials())
                    .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                    .build();
        }
        return async;
    }

    /**
     * The client of {@code type} for this server, built on first use and closed with the server:
     * {@code KinesisClient}, {@code KinesisAsyncClient}, and, when their SDK modules are on the
     * classpath, {@code FirehoseClient}, {@code FirehoseAsyncClient}, {@code S3Client} and
     * {@code S3AsyncClient} (path-style, for the objects Firehose delivers).
     *
     * @throws IllegalArgumentException for any other type
     */
    public <T extends SdkClient> T client(Class<T> type) {
        if (type == KinesisClient.class) {
            return type.cast(kinesis());
        }
        if (type == KinesisAsyncClient.class) {
            return type.cast(kinesisAsync());
        }
        synchronized (this) {
            checkOpen();
            return type.cast(others.computeIfAbsent(type, t -> OptionalClients.build(t, endpoint())));
        }
    }

    /** True for the client types {@link #client} builds. */
    static boolean isClientType(Class<?> type) {
        return type == KinesisClient.class || type == KinesisAsyncClient.class || OptionalClients.supports(type);
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /**
     * Deletes every stream of the clients' account and region through the Kinesis API (with its
     * consumers) and clears every injected fault, so the next test starts clean. Returns once
     * ListStreams answers empty. Streams of other accounts or regions are left alone.
     */
    public void reset() {
        KinesisClient kinesis = kinesis();
        for (int round = 0; round < 50; round++) {
            List<String> names = streamNames(kinesis);
            if (names.isEmpty()) {
                post("/_tributary/faults/clear", "{}");
                return;
            }
            for (String name : names) {
                try {
                    kinesis.deleteStream(b -> b.streamName(name).enforceConsumerDeletion(true));
                } catch (software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException gone) {
                    // Deleted meanwhile (or already DELETING): nothing to do.
                }
            }
        }
        throw new IllegalStateException("streams still listed after deleting them: " + streamNames(kinesis));
    }

    private static List<String> streamNames(KinesisClient kinesis) {
        List<String> names = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            ListStreamsResponse page = kinesis.listStreams(b -> b.nextToken(next));
            names.addAll(page.streamNames());
            token = Boolean.TRUE.equals(page.hasMoreStreams()) ? page.nextToken() : null;
        } while (token != null);
        return names;
    }

    /**
     * Makes the next {@code calls} data-plane calls (PutRecord, each PutRecords record, GetRecords,
     * GetShardIterator) on a shard fail with {@code ProvisionedThroughputExceededException}, through
     * {@code POST /_tributary/faults/kinesis/throttle}. Mind that the SDK retries throttling errors
     * (3 attempts by default): to see the exception, throttle at least as many calls.
     *
     * @param shardId e.g. {@code shardId-000000000000}; null for every shard of the stream
     */
    public void throttle(String stream, String shardId, int calls) {
        StringBuilder body = new StringBuilder("{\"streamName\":").append(quote(stream));
        if (shardId != null) {
            body.append(",\"shardId\":").append(quote(shardId));
        }
        body.append(",\"calls\":").append(calls).append('}');
        post("/_tributary/faults/kinesis/throttle", body.toString());
    }

    /**
     * Writes what a delivery stream (of the clients' account and region) has buffered as S3
     * objects now, whatever its buffering hints, through {@code POST /_tributary/firehose/flush};
     * null flushes every delivery stream. Returns the number of objects written.
     */
    public int flushFirehose(String deliveryStreamName) {
        String body = deliveryStreamName == null ? "{}" : "{\"deliveryStreamName\":" + quote(deliveryStreamName) + "}";
        String answer = post("/_tributary/firehose/flush", body);
        return Integer.parseInt(answer.replaceAll("\\D", ""));
    }

    /**
     * Stops a broker node of a replicated store (started with {@code nodes} above 1), as if its
     * process died: shards it led fail over to an in-sync replica. {@code POST /_tributary/nodes/{id}/stop}.
     */
    public void stopNode(int node) {
        post("/_tributary/nodes/" + node + "/stop", "{}");
    }

    /** Starts a stopped node again: its replicas catch up and rejoin the in-sync sets. */
    public void startNode(int node) {
        post("/_tributary/nodes/" + node + "/start", "{}");
    }

    /**
     * Replaces a node's injected faults: a slow disk, a failing disk (the node goes offline), a
     * replication cut (its followers stop copying). All zero/false clears them.
     */
    public void nodeFaults(int node, java.time.Duration diskDelay, boolean diskFailing, boolean replicationCut) {
        post("/_tributary/nodes/" + node + "/faults", "{\"diskDelayMillis\":" + diskDelay.toMillis()
                + ",\"diskFailing\":" + diskFailing + ",\"replicationCut\":" + replicationCut + "}");
    }

    /**
     * Leader, epoch, replicas, in-sync set, high watermark and lag of every shard of a stream, as the
     * JSON of {@code GET /_tributary/replicas?stream=...} (docs/test-control.md).
     */
    public String replicas(String stream) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/_tributary/replicas?stream="
                + java.net.URLEncoder.encode(stream, java.nio.charset.StandardCharsets.UTF_8))).GET().build();
        try {
            HttpResponse<String> response = control.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("replicas answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("replicas failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("replicas interrupted", e);
        }
    }

    /** POSTs JSON to a test-control endpoint; anything but 200 is an {@link IllegalStateException}. */
    private String post(String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            HttpResponse<String> response = control.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(path + " interrupted", e);
        }
    }

    /** A JSON string literal. */
    private static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this Tributary server is closed");
        }
    }

    /** Closes the clients, then the server. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (sync != null) {
                sync.close();
            }
            if (async != null) {
                async.close();
            }
            others.values().forEach(SdkClient::close);
        } finally {
            emulator.close();
        }
    }
}
