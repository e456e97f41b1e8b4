package dev.tributary.emulator.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.ConfigLoader;
import dev.tributary.emulator.protocol.EventStreamCodec;
import java.io.DataInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SubscribeToShard's event stream over the transports the SDKs use besides h2c: HTTP/1.1 chunked
 * encoding, and h2 over TLS negotiated by ALPN. Reads the raw event-stream frames.
 */
class SubscribeToShardTransportTest {
    @TempDir
    Path dir;

    static EventStreamCodec.Message next(DataInputStream in) throws Exception {
        int total = in.readInt();
        byte[] rest = new byte[total - 4];
        in.readFully(rest);
        ByteBuffer buf = ByteBuffer.allocate(total).putInt(total).put(rest).flip();
        return EventStreamCodec.decode(buf);
    }

    static HttpRequest.Builder json(String base, String op, String body) {
        return HttpRequest.newBuilder(URI.create(base + "/")).header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "Kinesis_20131202." + op).header("Authorization", HttpContractTest.AUTH)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    void subscribeAndReadRecord(HttpClient client, String base, HttpClient.Version expected) throws Exception {
        String stream = "sub-" + expected.name().toLowerCase(java.util.Locale.ROOT);
        client.send(json(base, "CreateStream", "{\"StreamName\":\"" + stream + "\",\"ShardCount\":1}").build(),
                HttpResponse.BodyHandlers.ofString());
        String registered = client.send(json(base, "RegisterStreamConsumer", "{\"StreamARN\":\"arn:aws:kinesis:us-east-1:"
                + "000000000000:stream/" + stream + "\",\"ConsumerName\":\"c\"}").build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String consumerArn = registered.replaceAll(".*\"ConsumerARN\":\"([^\"]+)\".*", "$1");
        client.send(json(base, "PutRecord", "{\"StreamName\":\"" + stream + "\",\"PartitionKey\":\"k\",\"Data\":\""
                + java.util.Base64.getEncoder().encodeToString("over-the-wire".getBytes(StandardCharsets.UTF_8))
                + "\"}").build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<InputStream> r = client.send(json(base, "SubscribeToShard", "{\"ConsumerARN\":\"" + consumerArn
                + "\",\"ShardId\":\"shardId-000000000000\",\"StartingPosition\":{\"Type\":\"TRIM_HORIZON\"}}").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.version()).isEqualTo(expected);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/vnd.amazon.eventstream");
        if (expected == HttpClient.Version.HTTP_1_1) {
            assertThat(r.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        }
        try (DataInputStream in = new DataInputStream(r.body())) {
            EventStreamCodec.Message initial = next(in);
            assertThat(initial.headers().get(":event-type")).isEqualTo("initial-response");
            EventStreamCodec.Message event = next(in);
            assertThat(event.headers().get(":event-type")).isEqualTo("SubscribeToShardEvent");
            assertThat(new String(event.payload(), StandardCharsets.UTF_8))
                    .contains("\"Data\":\"" + java.util.Base64.getEncoder().encodeToString(
                            "over-the-wire".getBytes(StandardCharsets.UTF_8)) + "\"");
        }
    }

    @Test
    void eventsFlowOverHttp11ChunksAndOverH2WithTls() throws Exception {
        try (Tributary t = Tributary.start(ConfigLoader.load(new String[] {"--port", "0", "--data-dir",
                dir.resolve("data").toString(), "--tls", "--create-stream-delay", "0"}, Map.of()))) {
            subscribeAndReadRecord(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                    "http://127.0.0.1:" + t.port(), HttpClient.Version.HTTP_1_1);
            subscribeAndReadRecord(TlsHttpTest.trusting(dir.resolve("data").resolve("tls")
                    .resolve(TlsMaterial.TRUSTSTORE), HttpClient.Version.HTTP_2),
                    "https://localhost:" + t.port(), HttpClient.Version.HTTP_2);
        }
    }
}
