package dev.tributary.bench;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * {@code drain}: one reader per shard reads the stream from TRIM_HORIZON with GetRecords
 * (Limit 10000) until every shard is caught up (three empty answers in a row at
 * MillisBehindLatest 0), the time cap passes, or the records written earlier in this run are all
 * read. Latency is per GetRecords call.
 */
final class DrainScenario implements Scenario {
    static final int LIMIT = 10_000;
    private static final int EMPTY_ANSWERS_TO_STOP = 3;

    @Override
    public Result run(Context ctx) throws InterruptedException {
        LoadConfig c = ctx.config;
        Streams.ensureActive(ctx.kinesis, c.stream(), c.shards());
        List<Shard> shards = Streams.shards(ctx.kinesis, c.stream());
        long expected = ctx.written.get();
        Latencies latency = new Latencies();
        AtomicLong read = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong calls = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ProcessStats.CpuMeter cpu = ProcessStats.CpuMeter.start(c.targetPid());
        long start = System.nanoTime();
        long deadline = start + c.duration().toNanos();
        Workers.runAll("drain", shards.size(), c.duration().toMillis() + 60_000, i -> {
            String iterator = ctx.kinesis.getShardIterator(GetShardIteratorRequest.builder().streamName(c.stream())
                    .shardId(shards.get(i).shardId()).shardIteratorType(ShardIteratorType.TRIM_HORIZON).build())
                    .shardIterator();
            int empty = 0;
            while (iterator != null && empty < EMPTY_ANSWERS_TO_STOP && System.nanoTime() < deadline
                    && (expected == 0 || read.get() < expected)) {
                long t0 = System.nanoTime();
                GetRecordsResponse resp;
                try {
                    resp = ctx.kinesis.getRecords(GetRecordsRequest.builder().shardIterator(iterator).limit(LIMIT)
                            .build());
                } catch (SdkException e) {
                    calls.incrementAndGet();
                    if (errors.incrementAndGet() <= 3) {
                        System.err.println("GetRecords failed: " + e.getMessage());
                    }
                    Thread.sleep(10);
                    continue;
                }
                latency.recordSince(t0);
                calls.incrementAndGet();
                long n = 0;
                long b = 0;
                for (Record r : resp.records()) {
                    n++;
                    b += r.data().asByteBuffer().remaining();
                }
                read.addAndGet(n);
                bytes.addAndGet(b);
                Long behind = resp.millisBehindLatest();
                empty = (n == 0 && (behind == null || behind == 0)) ? empty + 1 : 0;
                iterator = resp.nextShardIterator();
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        String note = expected > 0 ? "expected=" + expected : "until caught up";
        return new Result(c.label(), "drain", c.client(), 0, shards.size(), read.get(), bytes.get(), seconds,
                calls.get(), errors.get(), 0, "call", latency.snapshot(), note).withCpu(cpu.stop());
    }
}
