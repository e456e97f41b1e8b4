package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.EmulatorConfig;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The AWS SDK for JavaScript v3 ({@code @aws-sdk/client-kinesis}, pinned in
 * {@code integration-tests/js/package.json} and its lock file) against an in-process server:
 * {@code js/kinesis-smoke.mjs} lists, creates, waits for ACTIVE, puts and reads back, and prints
 * one JSON line. Needs {@code node} and {@code npm} on the PATH (CI has them); installs the
 * locked dependencies with {@code npm ci} when {@code node_modules} is missing.
 */
class JsSdkIT {
    private static final Path JS = Path.of(System.getProperty("user.dir")).resolve("js");
    private static final Path LOGS = Path.of(System.getProperty("user.dir")).resolve("target");

    @Test
    void javascriptSdkV3CreatesPutsAndReadsBack() throws Exception {
        assertThat(onPath("node")).as("node is not on the PATH; install Node.js 18+ to run JsSdkIT").isTrue();
        if (!Files.isDirectory(JS.resolve("node_modules"))) {
            assertThat(onPath("npm")).as("npm is not on the PATH; it installs integration-tests/js").isTrue();
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(JS.toFile())
                    .redirectErrorStream(true).redirectOutput(log("npm-ci.log")).start();
            assertThat(npm.waitFor(300, TimeUnit.SECONDS)).as("npm ci finished within 300 s").isTrue();
            assertThat(npm.exitValue()).as("npm ci exit status, see target/npm-ci.log").isZero();
        }

        Tributary server = Tributary.start(EmulatorConfig.forTests());
        try {
            File out = LOGS.resolve("js-smoke.out").toFile();
            Process node = new ProcessBuilder("node", "kinesis-smoke.mjs", server.endpoint().toString())
                    .directory(JS.toFile()).redirectOutput(out).redirectError(log("js-smoke.err")).start();
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node finished within 60 s").isTrue();
            String printed = Files.readString(out.toPath(), StandardCharsets.UTF_8).trim();
            assertThat(node.exitValue()).as("node exit status; it printed %s", printed).isZero();

            JsonNode result = new ObjectMapper().readTree(printed);
            assertThat(result.get("ok").asBoolean()).isTrue();
            assertThat(result.get("streams")).containsExactly(text("js-smoke"));
            assertThat(result.get("status").asText()).isEqualTo("ACTIVE");
            assertThat(result.get("shardId").asText()).isEqualTo("shardId-000000000000");
            assertThat(result.get("failedRecordCount").asInt()).isZero();
            assertThat(result.get("records")).containsExactly(text("one"), text("two"), text("three"));
            assertThat(result.get("failures")).isEmpty();
        } finally {
            Kit.stop(server);
        }
    }

    private static JsonNode text(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s);
    }

    private static File log(String name) throws IOException {
        Files.createDirectories(LOGS);
        return LOGS.resolve(name).toFile();
    }

    /** Whether {@code command} is an executable in a directory of the PATH. */
    static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        return List.of(path.split(File.pathSeparator)).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
