package dev.tributary.emulator.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.EmulatorConfig;
import dev.tributary.emulator.control.ControlHandler;
import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.SequenceNumbers;
import dev.tributary.emulator.time.ControlClock;
import dev.tributary.store.ShardStores;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StoreConfig;
import dev.tributary.store.api.AppendRecord;
import dev.tributary.store.api.StreamSpec;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console over HTTP on a real server: pages, escaping of user data, the tail's JSON (decoding,
 * seeking) and errors. Streams are made through the store directly where a name no Kinesis client
 * could send is needed (the escaping test), and through raw Kinesis JSON calls otherwise.
 */
class ConsoleHandlerTest {
    static final String AUTH = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20300102/us-east-1/kinesis/aws4_request, "
            + "SignedHeaders=host;x-amz-date;x-amz-target, Signature=0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCOUNT = "000000000000/us-east-1/";
    static Tributary tributary;
    static HttpClient http;

    @BeforeAll
    static void start() {
        tributary = Tributary.start(EmulatorConfig.forTests());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        tributary.close();
    }

    static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(tributary.endpoint() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> kinesis(String op, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(tributary.endpoint())
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "Kinesis_20131202." + op)
                .header("Authorization", AUTH)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static JsonNode records(String stream, String shard, String extra) throws Exception {
        HttpResponse<String> r = get("/_tributary/ui/api/records?stream=" + q(ACCOUNT + stream) + "&shard=" + shard + extra);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return JSON.readTree(r.body());
    }

    @Test
    void streamNameWithScriptTagIsEscapedOnEveryPage() throws Exception {
        // No Kinesis client can send this name; a Kafka topic or a hand-edited store could hold one.
        String evil = "<script>alert('x')</script>";
        EmulatorConfig config = EmulatorConfig.forTests();
        ControlClock clock = new ControlClock(config.clock());
        try (ShardStore store = ShardStores.open(StoreConfig.defaults(null).withClock(clock))) {
            KinesisBackend kinesis = new KinesisBackend(store, config.withClock(clock));
            ConsoleHandler console = new ConsoleHandler(store, kinesis, null, clock);
            store.createStream(new StreamSpec(ACCOUNT + evil, 1, Duration.ofHours(24), Map.of()));
            store.log(ACCOUNT + evil, 0).append(List.of(new AppendRecord(clock.millis(), "<b>".getBytes(StandardCharsets.UTF_8),
                    "<img src=x onerror=alert(1)>".getBytes(StandardCharsets.UTF_8), 0)));

            ControlHandler.Reply list = console.handle("GET", "/_tributary/ui/", null);
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.contentType()).isEqualTo("text/html; charset=utf-8");
            assertThat(text(list)).doesNotContain(evil).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");

            ControlHandler.Reply page = console.handle("GET", "/_tributary/ui/stream", "stream=" + q(ACCOUNT + evil));
            assertThat(page.status()).isEqualTo(200);
            assertThat(text(page)).doesNotContain(evil).contains("Stream <span class=\"name\">&lt;script&gt;");
            assertThat(text(console.handle("GET", "/_tributary/ui/tail", "stream=" + q(ACCOUNT + evil)
                    + "&shard=shardId-000000000000"))).doesNotContain(evil)
                    .contains("data-stream=\"000000000000/us-east-1/&lt;script&gt;alert(&#39;x&#39;)");
            assertThat(text(console.handle("GET", "/_tributary/ui/stream", "stream=" + q(ACCOUNT + "<i>absent"))))
                    .doesNotContain("<i>absent").contains("&lt;i&gt;absent");

            // The tail's JSON carries the record as data (the script writes it with textContent).
            JsonNode got = JSON.readTree(console.handle("GET", "/_tributary/ui/api/records", "stream="
                    + q(ACCOUNT + evil) + "&shard=shardId-000000000000").body());
            assertThat(got.get("records").get(0).get("data").asText()).isEqualTo("<img src=x onerror=alert(1)>");
            assertThat(got.get("records").get(0).get("partitionKey").asText()).isEqualTo("<b>");
            assertThat(console.handle("GET", "/_tributary/ui/api/records", "stream=%zz").status()).isEqualTo(400);
            assertThat(text(console.handle("GET", "/_tributary/ui/firehose", null)))
                    .contains("Firehose is not running in this server.");
        }
    }

    static String text(ControlHandler.Reply reply) {
        return new String(reply.body(), StandardCharsets.UTF_8);
    }

    @Test
    void escapeCoversTheFiveHtmlSpecialCharacters() {
        assertThat(Html.escape("a<b>&\"c'")).isEqualTo("a&lt;b&gt;&amp;&quot;c&#39;");
        assertThat(Html.escape("plain")).isEqualTo("plain");
        assertThat(Html.escape(null)).isEmpty();
    }

    @Test
    void recordDataIsJsonTextOrHex() {
        assertThat(RecordData.of("{\"a\": 1}".getBytes(StandardCharsets.UTF_8), JSON))
                .isEqualTo(new RecordData("json", "{\"a\": 1}"));
        assertThat(RecordData.of("héllo".getBytes(StandardCharsets.UTF_8), JSON)).isEqualTo(new RecordData("text", "héllo"));
        assertThat(RecordData.of("{not json".getBytes(StandardCharsets.UTF_8), JSON))
                .isEqualTo(new RecordData("text", "{not json"));
        assertThat(RecordData.of(new byte[] {(byte) 0xff, 0x00, 0x41}, JSON)).isEqualTo(new RecordData("hex", "ff 00 41"));
        assertThat(RecordData.of(new byte[] {0x41, 0x00}, JSON)).isEqualTo(new RecordData("hex", "41 00"));
    }

    @Test
    void streamPageShowsLineageAfterSplitAndTheTailSeeks() throws Exception {
        assertThat(kinesis("CreateStream", "{\"StreamName\":\"orders\",\"ShardCount\":1}").statusCode()).isEqualTo(200);
        // "b25l" "one", "eyJuIjoyfQ==" {"n":2}, "/wA=" the bytes ff 00
        for (String data : List.of("b25l", "eyJuIjoyfQ==", "/wA=")) {
            assertThat(kinesis("PutRecord", "{\"StreamName\":\"orders\",\"PartitionKey\":\"pk\",\"Data\":\"" + data + "\"}")
                    .statusCode()).isEqualTo(200);
        }
        JsonNode all = records("orders", "shardId-000000000000", "");
        assertThat(all.get("records")).hasSize(3);
        assertThat(all.get("records").findValuesAsText("data")).containsExactly("one", "{\"n\":2}", "ff 00");
        assertThat(all.get("records").findValuesAsText("encoding")).containsExactly("text", "json", "hex");
        assertThat(all.get("next").asLong()).isEqualTo(3);

        String second = all.get("records").get(1).get("sequenceNumber").asText();
        assertThat(SequenceNumbers.decode(second).atOffset()).isEqualTo(1);
        assertThat(records("orders", "shardId-000000000000", "&seek=AT_SEQUENCE_NUMBER&value=" + second)
                .get("records").findValuesAsText("data")).containsExactly("{\"n\":2}", "ff 00");
        assertThat(records("orders", "shardId-000000000000", "&seek=AFTER_SEQUENCE_NUMBER&value=" + second)
                .get("records").findValuesAsText("data")).containsExactly("ff 00");
        assertThat(records("orders", "shardId-000000000000", "&seek=LATEST").get("records")).isEmpty();
        assertThat(records("orders", "shardId-000000000000", "&from=2&limit=1").get("records").findValuesAsText("data"))
                .containsExactly("ff 00");
        String arrival = all.get("records").get(0).get("arrival").asText();
        assertThat(records("orders", "shardId-000000000000", "&seek=AT_TIMESTAMP&value=" + q(arrival))
                .get("records")).hasSize(3);
        assertThat(records("orders", "shardId-000000000000", "&seek=AT_TIMESTAMP&value="
                + (tributary.clock().millis() + 60_000)).get("records")).isEmpty();

        assertThat(kinesis("SplitShard", "{\"StreamName\":\"orders\",\"ShardToSplit\":\"shardId-000000000000\","
                + "\"NewStartingHashKey\":\"" + BigInteger.TWO.pow(127) + "\"}").statusCode()).isEqualTo(200);
        String page = get("/_tributary/ui/stream?stream=" + q(ACCOUNT + "orders")).body();
        int parent = page.indexOf("<li class=\"node\" data-shard=\"shardId-000000000000\">");
        int children = page.indexOf("<ul class=\"children\">", parent);
        int child1 = page.indexOf("data-shard=\"shardId-000000000001\"", children);
        int child2 = page.indexOf("data-shard=\"shardId-000000000002\"", child1);
        assertThat(parent).isNotNegative();
        assertThat(children).isGreaterThan(parent);
        assertThat(child1).isGreaterThan(children);
        assertThat(child2).isGreaterThan(child1);
        assertThat(page).contains("3 records").contains("ACTIVE").contains("24 h");

        JsonNode stream = JSON.readTree(get("/_tributary/ui/api/stream?stream=" + q(ACCOUNT + "orders")).body());
        assertThat(stream.get("shards").findValuesAsText("parent")).containsExactly("shardId-000000000000",
                "shardId-000000000000");
    }

    @Test
    void badSeeksAndUnknownShardsAreJsonErrorsNot500() throws Exception {
        kinesis("CreateStream", "{\"StreamName\":\"errs\",\"ShardCount\":1}");
        String base = "/_tributary/ui/api/records?stream=" + q(ACCOUNT + "errs");
        HttpResponse<String> r = get(base + "&shard=shardId-000000000000&seek=AT_SEQUENCE_NUMBER&value=12");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("message").asText()).isEqualTo("not a sequence number of this emulator: 12");
        r = get(base + "&shard=shardId-000000000000&seek=AT_TIMESTAMP&value=yesterday");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("message").asText()).startsWith("not a timestamp: yesterday");
        r = get(base + "&shard=shardId-000000000000&seek=SOMEWHERE");
        assertThat(r.statusCode()).isEqualTo(400);
        r = get(base + "&shard=shardId-000000000000&limit=0");
        assertThat(JSON.readTree(r.body()).get("message").asText()).isEqualTo("limit must be between 1 and 1000");
        r = get(base + "&shard=shardId-000000000009");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).get("message").asText()).isEqualTo("No shard shardId-000000000009 in stream errs");
        r = get("/_tributary/ui/api/records?stream=" + q(ACCOUNT + "nope") + "&shard=shardId-000000000000");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(get("/_tributary/ui/nowhere").statusCode()).isEqualTo(404);
        assertThat(get("/_tributary/ui/static/other.js").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(tributary.endpoint() + "/_tributary/ui/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void everySectionRendersAndPlaceholdersSayNotAvailable() throws Exception {
        for (String path : List.of("/_tributary/ui", "/_tributary/ui/", "/_tributary/ui/firehose",
                "/_tributary/ui/control", "/_tributary/ui/analytics", "/_tributary/ui/msk")) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.body()).as(path).startsWith("<!DOCTYPE html>")
                    .contains("<a href=\"/_tributary/ui/analytics\"").contains(">Kinesis Analytics</a>");
        }
        assertThat(get("/_tributary/ui/analytics").body()).contains("Not available yet");
        assertThat(get("/_tributary/ui/msk").body()).contains("Not available yet");
        assertThat(get("/_tributary/ui/control").body()).contains("id=\"clock-now\">" );
        HttpResponse<String> js = get("/_tributary/ui/static/console.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(js.body()).contains("textContent").doesNotContain("innerHTML =");
        assertThat(get("/_tributary/ui/static/console.css").statusCode()).isEqualTo(200);
    }

    static HttpResponse<String> post(String path, String body, String target) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tributary.endpoint() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            b.header("Content-Type", "application/x-amz-json-1.1").header("X-Amz-Target", target)
                    .header("Authorization", AUTH.replace("/kinesis/", "/firehose/"));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void firehosePageShowsBufferFillThenTheDeliveredObject() throws Exception {
        assertThat(post("/", "{\"DeliveryStreamName\":\"clicks\",\"ExtendedS3DestinationConfiguration\":{"
                + "\"RoleARN\":\"arn:aws:iam::000000000000:role/r\",\"BucketARN\":\"arn:aws:s3:::click-bucket\","
                + "\"BufferingHints\":{\"SizeInMBs\":1,\"IntervalInSeconds\":60}}}",
                "Firehose_20150804.CreateDeliveryStream").statusCode()).isEqualTo(200);
        // 10 bytes of "aGVsbG8gd29ybGQ=" = "hello world" (11 bytes)
        assertThat(post("/", "{\"DeliveryStreamName\":\"clicks\",\"Record\":{\"Data\":\"aGVsbG8gd29ybGQ=\"}}",
                "Firehose_20150804.PutRecord").statusCode()).isEqualTo(200);
        // A zero advance runs one delivery tick before answering: the record is then in the buffer.
        assertThat(post("/_tributary/clock/advance", "{\"millis\":0}", null).statusCode()).isEqualTo(200);
        String page = get("/_tributary/ui/firehose").body();
        assertThat(page).contains("<section class=\"delivery\" data-delivery-stream=\"clicks\">")
                .contains("<dd>1 records, 11 bytes</dd>").contains("<dd>1 MiB or 60 s</dd>")
                .contains("<dd>ExtendedS3 → s3://click-bucket/</dd>").contains("None yet in s3://click-bucket/.");

        assertThat(post("/_tributary/firehose/flush", "{\"deliveryStreamName\":\"clicks\"}", null).body())
                .isEqualTo("{\"objectsWritten\":1}");
        page = get("/_tributary/ui/firehose").body();
        assertThat(page).contains("<dd>0 records, 0 bytes</dd>")
                .containsPattern("<a href=\"/click-bucket/[0-9/]+/clicks-1-[0-9-]+-[0-9a-f-]{36}\">s3://click-bucket/");
        String href = page.replaceAll("(?s).*<a href=\"(/click-bucket/[^\"]+)\".*", "$1");
        assertThat(get(href).body()).isEqualTo("hello world");
    }
}
