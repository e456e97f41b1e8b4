package dev.tributary.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.emulator.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitFileTest {
    @TempDir
    Path dir;

    static String call(Tributary t, String account, String region, String op, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(t.endpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.1").header("X-Amz-Target", "Kinesis_20131202." + op)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + account + "/20300101/" + region
                        + "/kinesis/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void initFileCreatesStreamsPerAccountAndRegionAndToleratesARestart() throws Exception {
        Path init = Files.writeString(dir.resolve("init.json"), "{\"kinesis\":{\"streams\":["
                + "{\"StreamName\":\"orders\",\"ShardCount\":3},"
                + "{\"StreamName\":\"events\",\"StreamModeDetails\":{\"StreamMode\":\"ON_DEMAND\"},"
                + "\"account\":\"111111111111\",\"region\":\"eu-west-1\"}]}}");
        String[] args = {"--port", "0", "--data-dir", dir.resolve("data").toString(), "--init", init.toString(),
                "--create-stream-delay", "0"};
        for (int start = 0; start < 2; start++) {
            try (Tributary t = Tributary.start(ConfigLoader.load(args, Map.of()))) {
                assertThat(call(t, "AKID", "us-east-1", "ListStreams", "{}")).contains("\"StreamNames\":[\"orders\"]");
                assertThat(call(t, "AKID", "us-east-1", "DescribeStreamSummary", "{\"StreamName\":\"orders\"}"))
                        .contains("\"OpenShardCount\":3");
                assertThat(call(t, "111111111111", "eu-west-1", "ListStreams", "{}"))
                        .contains("\"StreamNames\":[\"events\"]");
            }
        }
    }

    @Test
    void anInvalidInitFileStopsTheStartWithTheAwsError() throws Exception {
        Path init = Files.writeString(dir.resolve("bad.json"), "{\"kinesis\":{\"streams\":[{\"StreamName\":\"bad name\"}]}}");
        assertThatThrownBy(() -> Tributary.start(ConfigLoader.load(new String[] {"--in-memory", "--port", "0",
                "--init", init.toString()}, Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--init could not create stream bad name")
                .hasMessageContaining("ValidationException");
    }
}
