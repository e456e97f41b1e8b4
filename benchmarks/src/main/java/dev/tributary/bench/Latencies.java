package dev.tributary.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latency samples in microseconds, recorded concurrently by many threads (an HdrHistogram
 * {@link Recorder}: wait-free recording, 3 significant digits, up to one hour).
 */
final class Latencies {
    private static final long MAX_MICROS = 3_600_000_000L;
    private final Recorder recorder = new Recorder(1, MAX_MICROS, 3);

    /** Records the time from {@code startNanos} (a {@link System#nanoTime()} value) to now. */
    void recordSince(long startNanos) {
        recordNanos(System.nanoTime() - startNanos);
    }

    void recordNanos(long nanos) {
        long micros = Math.max(1, Math.min(MAX_MICROS, nanos / 1_000));
        recorder.recordValue(micros);
    }

    /** Everything recorded so far (resets the recorder). */
    Histogram snapshot() {
        return recorder.getIntervalHistogram();
    }
}
