package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.EmulatorConfig;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The AWS CLI ({@code /usr/bin/aws}, Debian's {@code awscli} 2.x, installed by {@code .ci/run})
 * against an in-process server: list-streams, create-stream, put-record, get-shard-iterator and
 * get-records, each checked on its JSON output. Skipped, with a message, where the CLI is absent,
 * so a developer without it can still build.
 */
class AwsCliIT {
    private static final Path AWS = Path.of("/usr/bin/aws");

    private Tributary server;

    @BeforeEach
    void start() {
        assumeTrue(Files.isExecutable(AWS), "/usr/bin/aws is absent: install Debian's awscli "
                + "(apt-get install awscli), as .ci/run does, to run AwsCliIT");
        server = Tributary.start(EmulatorConfig.forTests());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            Kit.stop(server);
        }
    }

    @Test
    void awsCliCreatesPutsAndReadsBack() throws Exception {
        assertThat(aws("kinesis", "list-streams").get("StreamNames")).isEmpty();

        assertThat(run("kinesis", "create-stream", "--stream-name", "cli", "--shard-count", "1")).isEmpty();
        assertThat(aws("kinesis", "list-streams").get("StreamNames")).extracting(JsonNode::asText).containsExactly("cli");
        JsonNode summary = aws("kinesis", "describe-stream-summary", "--stream-name", "cli").get("StreamDescriptionSummary");
        assertThat(summary.get("StreamStatus").asText()).isEqualTo("ACTIVE");
        assertThat(summary.get("StreamARN").asText()).isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/cli");

        // CLI v2 takes blob arguments as base64 by default.
        String data = Base64.getEncoder().encodeToString("hello from the cli".getBytes(StandardCharsets.UTF_8));
        JsonNode put = aws("kinesis", "put-record", "--stream-name", "cli", "--partition-key", "k", "--data", data);
        assertThat(put.get("ShardId").asText()).isEqualTo("shardId-000000000000");
        assertThat(put.get("SequenceNumber").asText()).matches("\\d{56}");

        JsonNode iterator = aws("kinesis", "get-shard-iterator", "--stream-name", "cli", "--shard-id",
                "shardId-000000000000", "--shard-iterator-type", "TRIM_HORIZON");
        String it = iterator.get("ShardIterator").asText();
        assertThat(it).isNotEmpty();

        JsonNode got = aws("kinesis", "get-records", "--shard-iterator", it);
        assertThat(got.get("Records")).hasSize(1);
        JsonNode record = got.get("Records").get(0);
        assertThat(record.get("PartitionKey").asText()).isEqualTo("k");
        assertThat(record.get("SequenceNumber").asText()).isEqualTo(put.get("SequenceNumber").asText());
        assertThat(new String(Base64.getDecoder().decode(record.get("Data").asText()), StandardCharsets.UTF_8))
                .isEqualTo("hello from the cli");
        assertThat(got.get("MillisBehindLatest").asLong()).isZero();
        assertThat(got.get("NextShardIterator").asText()).isNotEmpty();
    }

    private JsonNode aws(String... args) throws Exception {
        return new ObjectMapper().readTree(run(args));
    }

    /** Runs the CLI with fixed credentials against the server and returns its standard output. */
    private String run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(AWS.toString(), "--endpoint-url", server.endpoint().toString(),
                "--output", "json"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
        env.put("AWS_SECRET_ACCESS_KEY", "secret");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_PAGER", "");
        env.remove("AWS_PROFILE");
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        File out = File.createTempFile("aws-cli", ".out");
        File err = File.createTempFile("aws-cli", ".err");
        try {
            Process p = pb.redirectOutput(out).redirectError(err).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("aws %s finished within 60 s", args[1]).isTrue();
            String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("aws %s exit status; stderr: %s", String.join(" ", args), stderr).isZero();
            return Files.readString(out.toPath(), StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out.toPath());
            Files.deleteIfExists(err.toPath());
        }
    }
}
