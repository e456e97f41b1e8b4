package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.EmulatorConfig;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The web console end to end in headless Chromium: Debian's {@code chromium} (installed by
 * {@code .ci/run}), driven by {@code playwright-core} (pinned in {@code integration-tests/console/
 * package.json} and its lock file, installed by {@code npm ci} on first run) from
 * {@code console/console-e2e.mjs}. The records and the split go through the AWS SDK v2; the
 * browser only clicks through the console: stream list, stream, tail of the shard (3 payloads,
 * exact), a 4th record appearing in the open tail, then the lineage tree after SplitShard.
 *
 * <p>Skipped (a JUnit assumption) when Chromium or node is not installed. Set
 * {@code TRIBUTARY_CHROMIUM} to use another Chromium binary.
 */
class ConsoleBrowserIT {
    private static final Path DIR = Path.of(System.getProperty("user.dir")).resolve("console");
    private static final Path LOGS = Path.of(System.getProperty("user.dir")).resolve("target");
    private static final String SHARD = "shardId-000000000000";

    @Test
    void tailShowsTheRecordsAndTheLineageTreeShowsTheSplit() throws Exception {
        String chromium = System.getenv().getOrDefault("TRIBUTARY_CHROMIUM", "/usr/bin/chromium");
        assumeTrue(Files.isExecutable(Path.of(chromium)), chromium + " is not installed (apt-get install chromium)");
        assumeTrue(JsSdkIT.onPath("node"), "node is not on the PATH");
        if (!Files.isDirectory(DIR.resolve("node_modules"))) {
            assumeTrue(JsSdkIT.onPath("npm"), "npm is not on the PATH; it installs integration-tests/console");
            Files.createDirectories(LOGS);
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(DIR.toFile())
                    .redirectErrorStream(true).redirectOutput(LOGS.resolve("console-npm-ci.log").toFile()).start();
            assertThat(npm.waitFor(300, TimeUnit.SECONDS)).as("npm ci finished within 300 s").isTrue();
            assertThat(npm.exitValue()).as("npm ci exit status, see target/console-npm-ci.log").isZero();
        }

        Tributary server = Tributary.start(EmulatorConfig.forTests());
        Process node = null;
        try (KinesisClient kinesis = KinesisClient.builder().endpointOverride(server.endpoint())
                .region(Clients.REGION).credentialsProvider(Clients.CREDENTIALS)
                .httpClientBuilder(ApacheHttpClient.builder()).build()) {
            kinesis.createStream(b -> b.streamName("console-e2e").shardCount(1));
            for (String payload : new String[] {"first record", "{\"n\":2,\"text\":\"<b>second</b>\"}", "third ✓"}) {
                kinesis.putRecord(b -> b.streamName("console-e2e").partitionKey("pk")
                        .data(SdkBytes.fromUtf8String(payload)));
            }

            Files.createDirectories(LOGS);
            File err = LOGS.resolve("console-e2e.err").toFile();
            node = new ProcessBuilder("node", "console-e2e.mjs", server.endpoint().toString(), "console-e2e", chromium)
                    .directory(DIR.toFile()).redirectError(err).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            Writer in = new java.io.OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);

            JsonNode tail = line(out, err);
            assertThat(tail.get("phase").asText()).as(tail.toString()).isEqualTo("tail");
            assertThat(tail.get("title").asText()).isEqualTo("Stream console-e2e");
            assertThat(tail.get("records")).extracting(JsonNode::asText)
                    .containsExactly("first record", "{\"n\":2,\"text\":\"<b>second</b>\"}", "third ✓");
            assertThat(tail.get("encodings")).extracting(JsonNode::asText).containsExactly("text", "json", "text");

            kinesis.putRecord(b -> b.streamName("console-e2e").partitionKey("pk").data(SdkBytes.fromUtf8String("fourth")));
            kinesis.splitShard(b -> b.streamName("console-e2e").shardToSplit(SHARD)
                    .newStartingHashKey(BigInteger.TWO.pow(127).toString()));
            in.write("go\n");
            in.flush();

            JsonNode lineage = line(out, err);
            assertThat(lineage.get("phase").asText()).as(lineage.toString()).isEqualTo("lineage");
            assertThat(lineage.get("live")).extracting(JsonNode::asText).containsExactly("first record",
                    "{\"n\":2,\"text\":\"<b>second</b>\"}", "third ✓", "fourth");
            assertThat(lineage.get("roots")).extracting(JsonNode::asText).containsExactly(SHARD);
            assertThat(lineage.get("children")).extracting(JsonNode::asText)
                    .containsExactly("shardId-000000000001", "shardId-000000000002");
            assertThat(lineage.get("states")).extracting(JsonNode::asText).containsExactly("closed", "open", "open");
            assertThat(lineage.get("errors")).as("script errors in the page").isEmpty();

            assertThat(node.waitFor(15, TimeUnit.SECONDS)).as("node exited").isTrue();
            assertThat(node.exitValue()).as("node exit status, see target/console-e2e.err").isZero();
        } finally {
            if (node != null && node.isAlive()) {
                node.destroyForcibly();
            }
            Kit.stop(server);
        }
    }

    /** The script's next JSON line, waiting at most 20 s. */
    private static JsonNode line(BufferedReader out, File err) throws Exception {
        String text = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(20, TimeUnit.SECONDS);
        assertThat(text).as("the script printed a line; stderr: %s", Files.readString(err.toPath())).isNotNull();
        return new ObjectMapper().readTree(text);
    }
}
