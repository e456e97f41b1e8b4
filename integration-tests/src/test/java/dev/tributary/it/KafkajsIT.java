package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.EmulatorConfig;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kafkajs (pinned in {@code integration-tests/kafkajs/package.json} and its lock file) against
 * Tributary's Kafka listener: {@code kafka-smoke.mjs} creates a two-partition topic with the admin
 * client, produces three keyed messages (one with a header) to chosen partitions, reads them back in
 * a consumer group and prints one JSON line. Needs node and npm (CI has them); runs {@code npm ci}
 * when {@code node_modules} is missing.
 */
class KafkajsIT {
    private static final Path DIR = Path.of(System.getProperty("user.dir")).resolve("kafkajs");
    private static final Path LOGS = Path.of(System.getProperty("user.dir")).resolve("target");

    @Test
    void kafkajsCreatesProducesAndConsumesInAGroup() throws Exception {
        assertThat(JsSdkIT.onPath("node")).as("node is not on the PATH; install Node.js 18+").isTrue();
        Files.createDirectories(LOGS);
        if (!Files.isDirectory(DIR.resolve("node_modules"))) {
            assertThat(JsSdkIT.onPath("npm")).as("npm is not on the PATH; it installs integration-tests/kafkajs").isTrue();
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(DIR.toFile())
                    .redirectErrorStream(true).redirectOutput(LOGS.resolve("kafkajs-npm-ci.log").toFile()).start();
            assertThat(npm.waitFor(300, TimeUnit.SECONDS)).as("npm ci finished within 300 s").isTrue();
            assertThat(npm.exitValue()).as("npm ci exit status, see target/kafkajs-npm-ci.log").isZero();
        }
        Tributary server = Tributary.start(EmulatorConfig.forTests());
        try {
            File out = LOGS.resolve("kafkajs.out").toFile();
            Process node = new ProcessBuilder("node", "kafka-smoke.mjs", server.kafkaBootstrapServers())
                    .directory(DIR.toFile()).redirectOutput(out).redirectError(LOGS.resolve("kafkajs.err").toFile())
                    .start();
            assertThat(node.waitFor(90, TimeUnit.SECONDS)).as("node finished within 90 s").isTrue();
            String printed = Files.readString(out.toPath(), StandardCharsets.UTF_8).trim();
            assertThat(node.exitValue()).as("node exit status; it printed %s", printed).isZero();
            JsonNode result = new ObjectMapper().readTree(printed);
            assertThat(result.get("created").asBoolean()).isTrue();
            assertThat(result.get("partitions").asInt()).isEqualTo(2);
            assertThat(result.get("messages").toString()).isEqualTo("["
                    + "{\"partition\":0,\"offset\":\"0\",\"key\":\"a\",\"value\":\"one\",\"headers\":{\"trace\":\"abc\"}},"
                    + "{\"partition\":0,\"offset\":\"1\",\"key\":\"c\",\"value\":\"three\",\"headers\":{}},"
                    + "{\"partition\":1,\"offset\":\"0\",\"key\":\"b\",\"value\":\"two\",\"headers\":{}}]");
        } finally {
            Kit.stop(server);
        }
    }
}
