package dev.tributary.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * {@code soak}: writes {@code --soak-bytes} (default 10 GiB) with PutRecords as fast as the target
 * takes it while one reader per shard consumes from TRIM_HORIZON, and samples the target's VmRSS
 * ({@code --target-pid}) every 5 s, printing a {@code SOAK} line each time. A store that keeps
 * records on disk should stay flat: the result's note has the first, last and largest sample after
 * the first 10% of the bytes. Bounded by the bytes and by {@code --duration-seconds}.
 */
final class SoakScenario implements Scenario {
    private static final long SAMPLE_NANOS = 5_000_000_000L;

    /** Written by the sampler thread, read once the writers are done. */
    private volatile String rssSummary = "rss=not-sampled";

    @Override
    public Result run(Context ctx) throws InterruptedException {
        LoadConfig c = ctx.config;
        Streams.ensureActive(ctx.kinesis, c.stream(), c.shards());
        List<Shard> shards = Streams.shards(ctx.kinesis, c.stream());
        SdkBytes data = SdkBytes.fromByteArrayUnsafe(Payloads.random(c.recordBytes()));
        long recordCap = Math.min(c.records(), c.soakBytes() / c.recordBytes());
        AtomicLong budget = new AtomicLong(recordCap);
        AtomicLong written = new AtomicLong();
        AtomicLong read = new AtomicLong();
        AtomicLong calls = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        Latencies latency = new Latencies();
        long start = System.nanoTime();
        long deadline = start + c.duration().toNanos();

        Thread sampler = new Thread(() -> sample(c, start, deadline, written, read, done, recordCap), "soak-rss");
        sampler.setDaemon(true);
        sampler.start();
        Thread readers = new Thread(() -> {
            try {
                Workers.runAll("soak-reader", shards.size(), c.duration().toMillis() + 60_000, i -> {
                    String it = ctx.kinesis.getShardIterator(GetShardIteratorRequest.builder().streamName(c.stream())
                            .shardId(shards.get(i).shardId()).shardIteratorType(ShardIteratorType.TRIM_HORIZON)
                            .build()).shardIterator();
                    while (it != null && System.nanoTime() < deadline && !(done.get() && read.get() >= written.get())) {
                        try {
                            GetRecordsResponse resp = ctx.kinesis.getRecords(GetRecordsRequest.builder()
                                    .shardIterator(it).limit(DrainScenario.LIMIT).build());
                            read.addAndGet(resp.records().size());
                            it = resp.nextShardIterator();
                            if (resp.records().isEmpty()) {
                                Thread.sleep(10);
                            }
                        } catch (SdkException e) {
                            errors.incrementAndGet();
                            Thread.sleep(10);
                        }
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "soak-readers");
        readers.start();
        int batch = c.batchSize();
        Workers.runAll("soak-writer", c.writers(), c.duration().toMillis() + 60_000, w -> {
            while (System.nanoTime() < deadline && budget.getAndAdd(-batch) >= batch) {
                List<PutRecordsRequestEntry> entries = new ArrayList<>(batch);
                for (int r = 0; r < batch; r++) {
                    entries.add(PutRecordsRequestEntry.builder().partitionKey(Payloads.randomPartitionKey())
                            .data(data).build());
                }
                long t0 = System.nanoTime();
                try {
                    PutRecordsResponse resp = ctx.kinesis.putRecords(PutRecordsRequest.builder()
                            .streamName(c.stream()).records(entries).build());
                    latency.recordSince(t0);
                    int f = resp.failedRecordCount() == null ? 0 : resp.failedRecordCount();
                    written.addAndGet(batch - f);
                } catch (SdkException e) {
                    errors.incrementAndGet();
                    Thread.sleep(10);
                }
                calls.incrementAndGet();
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        done.set(true);
        readers.join(70_000);
        String rss = rssSummary;
        return new Result(c.label(), "soak", c.client(), c.writers(), shards.size(), written.get(),
                written.get() * (long) c.recordBytes(), seconds, calls.get(), errors.get(), 0, "call",
                latency.snapshot(), "read=" + read.get() + " " + rss);
    }

    private void sample(LoadConfig c, long start, long deadline, AtomicLong written, AtomicLong read,
                        AtomicBoolean done, long recordCap) {
        long first = -1;
        long last = -1;
        long max = -1;
        while (!done.get() && System.nanoTime() < deadline + SAMPLE_NANOS) {
            try {
                Thread.sleep(SAMPLE_NANOS / 1_000_000);
            } catch (InterruptedException e) {
                return;
            }
            long rss = c.targetPid() > 0 ? ProcessStats.rssKib(c.targetPid()) : -1;
            long w = written.get();
            System.out.printf(Locale.ROOT, "SOAK t=%.0fs written_gib=%.2f read_gib=%.2f target_rss_mib=%d%n",
                    (System.nanoTime() - start) / 1e9, w * (double) c.recordBytes() / (1L << 30),
                    read.get() * (double) c.recordBytes() / (1L << 30), rss < 0 ? -1 : rss / 1024);
            if (rss > 0 && w >= recordCap / 10) {
                first = first < 0 ? rss : first;
                last = rss;
                max = Math.max(max, rss);
            }
            if (first > 0) {
                rssSummary = "rss_mib_first=" + first / 1024 + " last=" + last / 1024 + " max=" + max / 1024;
            }
        }
    }
}
