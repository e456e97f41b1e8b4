package dev.tributary.bench;

/** One named load pattern. Implementations stop by themselves within their count and time caps. */
interface Scenario {
    Result run(Context ctx) throws InterruptedException;

    /**
     * What a scenario shares with the ones after it in the same run.
     *
     * @param written records acknowledged on {@code config.stream()} so far (warm-up included),
     *                the amount {@code drain} expects to read back
     */
    final class Context {
        final LoadConfig config;
        final Kinesis kinesis;
        final java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();

        Context(LoadConfig config, Kinesis kinesis) {
            this.config = config;
            this.kinesis = kinesis;
        }
    }
}
