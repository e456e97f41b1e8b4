package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.EmulatorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * kcat (Debian's, on librdkafka) against Tributary's Kafka listener: produce keyed messages, list
 * the metadata, consume them back. Skips when /usr/bin/kcat is absent (.ci/run installs it).
 */
class KcatIT {
    private static final Path KCAT = Path.of("/usr/bin/kcat");
    private Tributary server;

    @BeforeEach
    void start() {
        assumeTrue(Files.isExecutable(KCAT), "/usr/bin/kcat is absent: install Debian's kcat");
        server = Tributary.start(EmulatorConfig.forTests());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            Kit.stop(server);
        }
    }

    private String run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(KCAT.toString());
        command.add("-b");
        command.add(server.kafkaBootstrapServers());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kcat finished: %s", out).isTrue();
        assertThat(p.exitValue()).as("kcat %s: %s", args, out).isZero();
        return out;
    }

    @Test
    void producesListsAndConsumesKeyedMessages() throws Exception {
        run("a:one\nb:two\nc:three\n", "-P", "-t", "kc", "-K:");
        String metadata = run(null, "-L", "-t", "kc");
        assertThat(metadata).contains("topic \"kc\" with 1 partitions:")
                .contains("partition 0, leader 0, replicas: 0, isrs: 0");
        String consumed = run(null, "-C", "-t", "kc", "-e", "-o", "beginning", "-q", "-f", "%k=%s@%o\\n");
        assertThat(consumed).isEqualTo("a=one@0\nb=two@1\nc=three@2\n");
    }
}
