package dev.tributary.emulator.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** AWS's rate rules that need the clock: five streams CREATING at once, ten rescalings a day. */
class KinesisLimitsHttpTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    Tributary tributary;

    @AfterEach
    void stop() {
        tributary.close();
    }

    HttpResponse<String> call(String op, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(tributary.endpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.1").header("X-Amz-Target", "Kinesis_20131202." + op)
                .header("Authorization", HttpContractTest.AUTH).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode error(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).isEqualTo(400);
        return JSON.readTree(r.body());
    }

    @Test
    void aSixthStreamWhileFiveAreCreatingIsLimitExceeded() throws Exception {
        tributary = Tributary.start(ConfigLoader.load(new String[] {"--in-memory", "--port", "0",
                "--create-stream-delay", "10s"}, Map.of()));
        for (int i = 0; i < 5; i++) {
            assertThat(call("CreateStream", "{\"StreamName\":\"c" + i + "\",\"ShardCount\":1}").statusCode()).isEqualTo(200);
        }
        JsonNode e = error(call("CreateStream", "{\"StreamName\":\"c5\",\"ShardCount\":1}"));
        assertThat(e.get("__type").asText()).isEqualTo("LimitExceededException");
        assertThat(e.get("message").asText()).isEqualTo("Only 5 streams can be in CREATING state at the same time "
                + "for account 000000000000. Try again once some are ACTIVE.");
        tributary.clock().advance(Duration.ofSeconds(10));
        assertThat(call("CreateStream", "{\"StreamName\":\"c5\",\"ShardCount\":1}").statusCode()).isEqualTo(200);
    }

    @Test
    void anEleventhUpdateShardCountInTwentyFourHoursIsLimitExceeded() throws Exception {
        tributary = Tributary.start(ConfigLoader.load(new String[] {"--in-memory", "--port", "0",
                "--create-stream-delay", "0", "--update-stream-delay", "0"}, Map.of()));
        call("CreateStream", "{\"StreamName\":\"scale\",\"ShardCount\":1}");
        for (int i = 0; i < 10; i++) {
            int target = i % 2 == 0 ? 2 : 1;
            HttpResponse<String> r = call("UpdateShardCount", "{\"StreamName\":\"scale\",\"TargetShardCount\":" + target
                    + ",\"ScalingType\":\"UNIFORM_SCALING\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            tributary.clock().advance(Duration.ofMinutes(10));
        }
        JsonNode e = error(call("UpdateShardCount", "{\"StreamName\":\"scale\",\"TargetShardCount\":2,"
                + "\"ScalingType\":\"UNIFORM_SCALING\"}"));
        assertThat(e.get("__type").asText()).isEqualTo("LimitExceededException");
        assertThat(e.get("message").asText()).isEqualTo("UpdateShardCount cannot be called more than 10 times in a "
                + "rolling 24-hour period for stream scale under account 000000000000. Current open shard count: 1, "
                + "Target shard count: 2");
        tributary.clock().advance(Duration.ofHours(24));
        assertThat(call("UpdateShardCount", "{\"StreamName\":\"scale\",\"TargetShardCount\":2,"
                + "\"ScalingType\":\"UNIFORM_SCALING\"}").statusCode()).isEqualTo(200);
    }
}
