package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.EmulatorConfig;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * boto3 (Debian's {@code python3-boto3}, installed by {@code .ci/run}) against an in-process
 * server: {@code python/kinesis_smoke.py} lists, creates, waits for ACTIVE, puts one record and a
 * batch, reads them back from TRIM_HORIZON and prints one JSON line. boto3 speaks JSON 1.1 to
 * Kinesis, where the Java SDK speaks CBOR. Runs {@code /usr/bin/python3} explicitly, not whatever
 * {@code python3} a version manager puts first on the PATH. Skipped, with a message, where that
 * interpreter cannot import boto3.
 */
class BotoIT {
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path SCRIPT = Path.of(System.getProperty("user.dir")).resolve("python/kinesis_smoke.py");
    private static final Path LOGS = Path.of(System.getProperty("user.dir")).resolve("target");

    @Test
    void boto3CreatesPutsAndReadsBack() throws Exception {
        assumeTrue(importsBoto3(), PYTHON + " cannot import boto3: install Debian's python3-boto3 "
                + "(apt-get install python3-boto3), as .ci/run does, to run BotoIT");

        Tributary server = Tributary.start(EmulatorConfig.forTests());
        try {
            File out = log("boto-smoke.out");
            Process python = new ProcessBuilder(PYTHON, SCRIPT.toString(), server.endpoint().toString())
                    .redirectOutput(out).redirectError(log("boto-smoke.err")).start();
            boolean finished = python.waitFor(60, TimeUnit.SECONDS);
            if (!finished) {
                python.destroyForcibly();
            }
            assertThat(finished).as("python finished within 60 s, see target/boto-smoke.err").isTrue();
            String printed = Files.readString(out.toPath(), StandardCharsets.UTF_8).trim();
            assertThat(python.exitValue()).as("python exit status; it printed %s (stderr in target/boto-smoke.err)",
                    printed).isZero();

            JsonNode result = new ObjectMapper().readTree(printed);
            assertThat(result.get("ok").asBoolean()).isTrue();
            assertThat(result.get("streams")).containsExactly(TextNode.valueOf("boto-smoke"));
            assertThat(result.get("status").asText()).isEqualTo("ACTIVE");
            assertThat(result.get("shardId").asText()).isEqualTo("shardId-000000000000");
            assertThat(result.get("failedRecordCount").asInt()).isZero();
            assertThat(result.get("records"))
                    .containsExactly(TextNode.valueOf("one"), TextNode.valueOf("two"), TextNode.valueOf("three"));
            assertThat(result.get("failures")).isEmpty();
        } finally {
            Kit.stop(server);
        }
    }

    /** Whether {@code /usr/bin/python3} exists and imports boto3, within 30 s. */
    private static boolean importsBoto3() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return false;
        }
        Process check = new ProcessBuilder(PYTHON, "-c", "import boto3")
                .redirectErrorStream(true).redirectOutput(log("boto-import.log")).start();
        if (!check.waitFor(30, TimeUnit.SECONDS)) {
            check.destroyForcibly();
            return false;
        }
        return check.exitValue() == 0;
    }

    private static File log(String name) throws IOException {
        Files.createDirectories(LOGS);
        return LOGS.resolve(name).toFile();
    }
}
