package dev.tributary.bench;

import java.util.ArrayList;
import java.util.List;
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
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * {@code tail-latency}: one reader per shard tails from LATEST (GetRecords again at once after an
 * answer with records, else after 10 ms) while W writers send PutRecords of 100 records at a fixed
 * total rate. Each payload carries its send time, so the latency columns are put-to-get: from just
 * before the PutRecords call to the reader holding the record. Writers keep a fixed schedule (a
 * late batch is sent at once, not skipped), so a stall shows up in the latency. Records sent during
 * the first {@code --warmup-seconds} are read but not measured; the records column counts all.
 */
final class TailLatencyScenario implements Scenario {
    private static final long EMPTY_POLL_WAIT_NANOS = 10_000_000L;
    private static final long GRACE_NANOS = 5_000_000_000L;

    private static String ms(org.HdrHistogram.Histogram h, double percentile) {
        return String.format(java.util.Locale.ROOT, "%.1f", h.getValueAtPercentile(percentile) / 1000.0);
    }

    @Override
    public Result run(Context ctx) throws InterruptedException {
        LoadConfig c = ctx.config;
        int batch = c.tailBatchSize();
        Streams.ensureActive(ctx.kinesis, c.stream(), c.shards());
        List<Shard> shards = Streams.shards(ctx.kinesis, c.stream());
        List<String> iterators = new ArrayList<>();
        for (Shard s : shards) {
            iterators.add(ctx.kinesis.getShardIterator(GetShardIteratorRequest.builder().streamName(c.stream())
                    .shardId(s.shardId()).shardIteratorType(ShardIteratorType.LATEST).build()).shardIterator());
        }
        Latencies putToGet = new Latencies();
        Latencies putCalls = new Latencies();
        Latencies getCalls = new Latencies();
        AtomicLong measured = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        AtomicLong received = new AtomicLong();
        AtomicLong calls = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean writersDone = new AtomicBoolean();
        long start = System.nanoTime();
        // The first warm-up seconds run the same load but their records are not measured.
        long measuredFrom = start + c.warmupSeconds() * 1_000_000_000L;
        long writeDeadline = measuredFrom + c.duration().toNanos();
        long hardDeadline = writeDeadline + GRACE_NANOS;

        Thread readerGroup = new Thread(() -> {
            try {
                Workers.runAll("tail", shards.size(), c.duration().toMillis() + c.warmupSeconds() * 1000L + 60_000, i -> {
                    String iterator = iterators.get(i);
                    long doneSince = 0;
                    while (iterator != null && System.nanoTime() < hardDeadline) {
                        if (writersDone.get()) {
                            if (received.get() >= sent.get()) {
                                return;
                            }
                            doneSince = doneSince == 0 ? System.nanoTime() : doneSince;
                        }
                        GetRecordsResponse resp;
                        long g0 = System.nanoTime();
                        try {
                            resp = ctx.kinesis.getRecords(GetRecordsRequest.builder().shardIterator(iterator)
                                    .limit(DrainScenario.LIMIT).build());
                            if (g0 >= measuredFrom) {
                                getCalls.recordSince(g0);
                            }
                        } catch (SdkException e) {
                            if (errors.incrementAndGet() <= 3) {
                                System.err.println("GetRecords failed: " + e.getMessage());
                            }
                            Thread.sleep(10);
                            continue;
                        }
                        long now = System.nanoTime();
                        int ours = 0;
                        for (Record r : resp.records()) {
                            long sentAt = Payloads.sentNanos(r.data().asByteBuffer());
                            if (sentAt > 0) {
                                if (sentAt >= measuredFrom) {
                                    putToGet.recordNanos(now - sentAt);
                                    measured.incrementAndGet();
                                }
                                ours++;
                            }
                        }
                        received.addAndGet(ours);
                        iterator = resp.nextShardIterator();
                        if (resp.records().isEmpty()) {
                            Workers.sleepNanos(EMPTY_POLL_WAIT_NANOS);
                        }
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tail-readers");
        readerGroup.start();

        int writers = c.writers();
        // Each writer sends one batch every interval, so all together send c.rate() records/s.
        long intervalNanos = c.rate() > 0 ? (long) (1e9 * batch * writers / c.rate()) : 0;
        long perWriterCap = Math.max(1, c.records() / writers);
        Workers.runAll("tail-writer", writers, c.duration().toMillis() + c.warmupSeconds() * 1000L + 60_000, w -> {
            long next = start + intervalNanos * w / writers; // stagger the writers across one interval
            long mine = 0;
            while (System.nanoTime() < writeDeadline && mine < perWriterCap) {
                Workers.sleepNanos(next - System.nanoTime());
                next += intervalNanos;
                List<PutRecordsRequestEntry> entries = new ArrayList<>(batch);
                long t0 = System.nanoTime();
                for (int r = 0; r < batch; r++) {
                    entries.add(PutRecordsRequestEntry.builder().partitionKey(Payloads.randomPartitionKey())
                            .data(SdkBytes.fromByteArrayUnsafe(Payloads.timestamped(c.recordBytes(), t0))).build());
                }
                try {
                    PutRecordsResponse resp = ctx.kinesis.putRecords(PutRecordsRequest.builder()
                            .streamName(c.stream()).records(entries).build());
                    if (t0 >= measuredFrom) {
                        putCalls.recordSince(t0);
                    }
                    int f = resp.failedRecordCount() == null ? 0 : resp.failedRecordCount();
                    failed.addAndGet(f);
                    sent.addAndGet(batch - f);
                } catch (SdkException e) {
                    if (errors.incrementAndGet() <= 3) {
                        System.err.println("put failed: " + e.getMessage());
                    }
                }
                calls.incrementAndGet();
                mine += batch;
            }
        });
        double writeSeconds = (System.nanoTime() - measuredFrom) / 1e9;
        writersDone.set(true);
        readerGroup.join(GRACE_NANOS / 1_000_000 + 70_000);
        long missing = sent.get() - received.get();
        org.HdrHistogram.Histogram put = putCalls.snapshot();
        org.HdrHistogram.Histogram get = getCalls.snapshot();
        return new Result(c.label(), "tail-latency", c.client(), writers, shards.size(), measured.get(),
                measured.get() * (long) c.recordBytes(), writeSeconds, calls.get(), errors.get(), failed.get(),
                "put-to-get", putToGet.snapshot(),
                "rate=" + c.rate() + "/s batch=" + batch + " sent=" + sent.get() + " missing=" + missing
                        + " put_call_p50/p99=" + ms(put, 50) + "/" + ms(put, 99)
                        + "ms get_call_p50/p99=" + ms(get, 50) + "/" + ms(get, 99)
                        + "ms");
    }
}
