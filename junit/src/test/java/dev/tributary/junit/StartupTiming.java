package dev.tributary.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.tributary.emulator.config.EmulatorConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * A manual timing harness, not a test (Surefire does not pick it up; no JMH): how long
 * {@code Tributary.start} takes to answer ready, and what the extension adds per test in each
 * mode. Run it from {@code junit/}:
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.tributary.junit.StartupTiming
 * </pre>
 * Results go to docs/benchmarks.md, "JUnit extension".
 */
public final class StartupTiming {
    static final int TESTS = 50;

    private StartupTiming() {
    }

    /** One class-level server; each test makes one SDK call. */
    @Tributary
    static class Shared {
        @RepeatedTest(TESTS)
        void call(KinesisClient kinesis) {
            kinesis.listStreams();
        }
    }

    /** One class-level server reset before each test; each test creates a stream. */
    @Tributary(resetBetweenTests = true)
    static class SharedWithReset {
        @RepeatedTest(TESTS)
        void call(KinesisClient kinesis) {
            kinesis.createStream(b -> b.streamName("s").shardCount(4));
        }
    }

    /** A server per test; each test makes one SDK call on its fresh client. */
    @Tributary(perMethod = true)
    static class PerMethod {
        @RepeatedTest(TESTS)
        void call(KinesisClient kinesis) {
            kinesis.listStreams();
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        long t0 = System.nanoTime();
        dev.tributary.emulator.Tributary.start(EmulatorConfig.forTests()).close();
        double cold = ms(System.nanoTime() - t0);

        double[] warm = new double[30];
        double[] warmClose = new double[warm.length];
        for (int i = 0; i < warm.length; i++) {
            long s = System.nanoTime();
            dev.tributary.emulator.Tributary t = dev.tributary.emulator.Tributary.start(EmulatorConfig.forTests());
            long ready = System.nanoTime();
            t.close();
            warm[i] = ms(ready - s);
            warmClose[i] = ms(System.nanoTime() - ready);
        }
        System.out.printf(Locale.ROOT, "Tributary.start, first in the JVM: %.1f ms%n", cold);
        System.out.printf(Locale.ROOT, "Tributary.start, warm (n=%d): median %.1f ms, p90 %.1f ms, min %.1f ms%n",
                warm.length, pct(warm, 50), pct(warm, 90), pct(warm, 0));
        System.out.printf(Locale.ROOT, "Tributary.close, warm: median %.1f ms%n", pct(warmClose, 50));

        // A server with a client made once: what a test's SDK call costs on its own.
        double[] call = new double[200];
        try (TributaryServer server = new TributaryServer(
                dev.tributary.emulator.Tributary.start(EmulatorConfig.forTests()))) {
            for (int i = 0; i < 50; i++) {
                server.kinesis().listStreams();
            }
            for (int i = 0; i < call.length; i++) {
                long s = System.nanoTime();
                server.kinesis().listStreams();
                call[i] = ms(System.nanoTime() - s);
            }
        }
        System.out.printf(Locale.ROOT, "One ListStreams call, warm client: median %.2f ms%n", pct(call, 50));

        for (Class<?> sample : List.of(Shared.class, SharedWithReset.class, PerMethod.class)) {
            run(sample); // warm-up
            double[] totals = IntStream.range(0, 5).mapToDouble(i -> run(sample)).toArray();
            double total = pct(totals, 50);
            System.out.printf(Locale.ROOT, "%s: %d tests in %.0f ms (median of 5 runs) = %.2f ms per test%n",
                    sample.getSimpleName(), TESTS, total, total / TESTS);
        }
    }

    /** Runs a sample class through the JUnit Platform; wall time in ms, including server start and stop. */
    private static double run(Class<?> sample) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        long s = System.nanoTime();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(sample)).build(), listener);
        double took = ms(System.nanoTime() - s);
        if (listener.getSummary().getTotalFailureCount() > 0 || listener.getSummary().getTestsSucceededCount() != TESTS) {
            throw new IllegalStateException(sample.getSimpleName() + " failed: " + listener.getSummary().getFailures()
                    .stream().map(f -> f.getException().toString()).collect(Collectors.joining("; ")));
        }
        return took;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double pct(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p / 100.0 * sorted.length))];
    }
}
