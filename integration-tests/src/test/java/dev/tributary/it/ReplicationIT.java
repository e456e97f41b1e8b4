package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.ConfigLoader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Kinesis on a three-node store with every shard on all three (docs/replication.md), driven by the
 * AWS SDK and the node controls of the test-control API: a leader stopped during writes loses no
 * acknowledged record, and with the in-sync set below the minimum writes fail with the retryable
 * error and leave nothing visible.
 */
class ReplicationIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private Tributary start() {
        return Tributary.start(ConfigLoader.load(new String[] {"--port", "0", "--data-dir", dataDir.toString(),
                "--nodes", "3", "--replication-factor", "3", "--min-insync-replicas", "2",
                "--create-stream-delay", "0", "--delete-stream-delay", "0", "--update-stream-delay", "0"}, Map.of()));
    }

    private static JsonNode control(Tributary server, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        server.endpoint().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static JsonNode shard(Tributary server) throws IOException, InterruptedException {
        return control(server, "GET", "/_tributary/replicas?stream=orders", null).at("/streams/0/shards/0");
    }

    private static List<String> values(KinesisClient kinesis) {
        List<String> out = new ArrayList<>();
        for (Record r : Kit.readAll(kinesis, "orders", Kit.shardId(0))) {
            out.add(r.data().asUtf8String());
        }
        return out;
    }

    @Test
    void stoppingTheLeaderDuringWritesLosesNoAcknowledgedRecord() throws Exception {
        try (Tributary server = start(); KinesisClient kinesis = Clients.apache(server.endpoint())) {
            kinesis.createStream(b -> b.streamName("orders").shardCount(1));
            JsonNode before = shard(server);
            assertThat(before.get("leader").asInt()).isZero();
            assertThat(before.get("isr")).hasSize(3);
            List<String> acked = new ArrayList<>();
            for (int batch = 0; batch < 6; batch++) {
                if (batch == 3) {
                    control(server, "POST", "/_tributary/nodes/0/stop", "");
                }
                List<PutRecordsRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    entries.add(PutRecordsRequestEntry.builder().partitionKey("k" + i)
                            .data(SdkBytes.fromUtf8String("r" + batch + "-" + i)).build());
                }
                int b = batch;
                PutRecordsResponse resp = kinesis.putRecords(r -> r.streamName("orders").records(entries));
                assertThat(resp.failedRecordCount()).as("batch " + b).isZero();
                for (int i = 0; i < 50; i++) {
                    acked.add("r" + batch + "-" + i);
                }
            }
            JsonNode after = shard(server);
            assertThat(after.get("leader").asInt()).isEqualTo(1);
            assertThat(after.get("leaderEpoch").asInt()).isEqualTo(1);
            assertThat(after.get("highWatermark").asLong()).isEqualTo(300);
            assertThat(values(kinesis)).containsExactlyElementsOf(acked);

            control(server, "POST", "/_tributary/nodes/0/start", "");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (shard(server).get("isr").size() < 3) {
                assertThat(System.nanoTime()).as("node 0 back in sync within 10 s").isLessThan(deadline);
            }
            assertThat(shard(server).at("/lag/0").asLong()).isZero();
        }
    }

    @Test
    void belowTheMinimumInSyncWritesFailRetryablyAndNothingBecomesVisible() throws Exception {
        try (Tributary server = start(); KinesisClient kinesis = Clients.open(new Clients.Kind(Clients.Transport.APACHE, true),
                server.endpoint(), false)) {
            kinesis.createStream(b -> b.streamName("orders").shardCount(1));
            kinesis.putRecord(b -> b.streamName("orders").partitionKey("a").data(SdkBytes.fromUtf8String("one")));
            control(server, "POST", "/_tributary/nodes/1/stop", "");
            control(server, "POST", "/_tributary/nodes/2/stop", "");
            assertThat(shard(server).get("isr")).hasSize(1);
            assertThatThrownBy(() -> kinesis.putRecord(b -> b.streamName("orders").partitionKey("a")
                    .data(SdkBytes.fromUtf8String("two"))))
                    .isInstanceOfSatisfying(KinesisException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
                        // 503: the status the SDKs' default retry conditions retry (with back-off).
                        assertThat(e.statusCode()).isEqualTo(503);
                    });
            PutRecordsResponse batch = kinesis.putRecords(r -> r.streamName("orders").records(
                    PutRecordsRequestEntry.builder().partitionKey("a").data(SdkBytes.fromUtf8String("three")).build()));
            assertThat(batch.failedRecordCount()).isEqualTo(1);
            assertThat(batch.records().get(0).errorCode()).isEqualTo("InternalFailure");
            assertThat(batch.records().get(0).errorMessage()).isEqualTo("Internal service failure.");
            assertThat(values(kinesis)).containsExactly("one");
            assertThat(shard(server).get("highWatermark").asLong()).isEqualTo(1);

            control(server, "POST", "/_tributary/nodes/1/start", "");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (shard(server).get("isr").size() < 2) {
                assertThat(System.nanoTime()).as("node 1 back in sync within 10 s").isLessThan(deadline);
            }
            kinesis.putRecord(b -> b.streamName("orders").partitionKey("a").data(SdkBytes.fromUtf8String("four")));
            assertThat(values(kinesis)).containsExactly("one", "four");
        }
    }

    @Test
    void nodeControlsAnswerWithTheNodesAndRejectBadIds() throws Exception {
        try (Tributary server = start()) {
            JsonNode nodes = control(server, "GET", "/_tributary/nodes", null);
            assertThat(nodes.get("nodes")).hasSize(3);
            control(server, "POST", "/_tributary/nodes/2/faults", "{\"diskDelayMillis\":5,\"replicationCut\":true}");
            JsonNode listed = control(server, "GET", "/_tributary/faults", null).get("nodes");
            assertThat(listed.toString()).isEqualTo("[{\"node\":2,\"diskDelayMillis\":5,\"diskFailing\":false,"
                    + "\"replicationCut\":true}]");
            control(server, "POST", "/_tributary/faults/clear", "");
            assertThat(control(server, "GET", "/_tributary/faults", null).get("nodes")).isEmpty();
            assertThat(control(server, "GET", "/_tributary/nodes", null).at("/nodes/2/faults/replicationCut").asBoolean())
                    .isFalse();
            HttpResponse<String> bad = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    server.endpoint().resolve("/_tributary/nodes/7/stop")).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(bad.body()).get("message").asText())
                    .isEqualTo("no node 7: the store has nodes 0..2");
        }
    }
}
