package dev.tributary.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.model.PutRecordRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

/**
 * {@code putrecords}: W writers, each sending PutRecords of {@code batchSize} records with random
 * partition keys as fast as the target answers. {@code putrecord} (batch mode off): the same with
 * single PutRecord calls. Latency is per call. A warm-up phase runs first and is not measured.
 */
final class PutRecordsScenario implements Scenario {
    private final boolean batched;

    PutRecordsScenario(boolean batched) {
        this.batched = batched;
    }

    @Override
    public Result run(Context ctx) throws InterruptedException {
        LoadConfig c = ctx.config;
        Streams.ensureActive(ctx.kinesis, c.stream(), c.shards());
        byte[] payload = Payloads.random(c.recordBytes());
        if (c.warmupSeconds() > 0) {
            phase(ctx, payload, c.warmupSeconds() * 1_000_000_000L, Long.MAX_VALUE / 4);
        }
        ProcessStats.CpuMeter cpu = ProcessStats.CpuMeter.start(c.targetPid());
        Result r = phase(ctx, payload, c.duration().toNanos(), c.records());
        return r.withCpu(cpu.stop());
    }

    private Result phase(Context ctx, byte[] payload, long durationNanos, long recordCap) throws InterruptedException {
        LoadConfig c = ctx.config;
        int batch = batched ? c.batchSize() : 1;
        Latencies latency = new Latencies();
        AtomicLong budget = new AtomicLong(recordCap);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong calls = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        SdkBytes data = SdkBytes.fromByteArrayUnsafe(payload);
        long start = System.nanoTime();
        long deadline = start + durationNanos;
        Workers.runAll(batched ? "putrecords" : "putrecord", c.writers(), durationNanos / 1_000_000 + 60_000, i -> {
            while (System.nanoTime() < deadline && budget.getAndAdd(-batch) >= batch) {
                long t0 = System.nanoTime();
                try {
                    if (batched) {
                        List<PutRecordsRequestEntry> entries = new ArrayList<>(batch);
                        for (int r = 0; r < batch; r++) {
                            entries.add(PutRecordsRequestEntry.builder().partitionKey(Payloads.randomPartitionKey())
                                    .data(data).build());
                        }
                        PutRecordsResponse resp = ctx.kinesis.putRecords(PutRecordsRequest.builder()
                                .streamName(c.stream()).records(entries).build());
                        latency.recordSince(t0);
                        int f = resp.failedRecordCount() == null ? 0 : resp.failedRecordCount();
                        failed.addAndGet(f);
                        ok.addAndGet(batch - f);
                    } else {
                        ctx.kinesis.putRecord(PutRecordRequest.builder().streamName(c.stream())
                                .partitionKey(Payloads.randomPartitionKey()).data(data).build());
                        latency.recordSince(t0);
                        ok.incrementAndGet();
                    }
                    calls.incrementAndGet();
                } catch (SdkException e) {
                    calls.incrementAndGet();
                    if (errors.incrementAndGet() <= 3) {
                        System.err.println("put failed: " + e.getMessage());
                    }
                    Thread.sleep(10);
                }
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        ctx.written.addAndGet(ok.get());
        return new Result(c.label(), batched ? "putrecords" : "putrecord", c.client(), c.writers(), 0, ok.get(),
                ok.get() * (long) c.recordBytes(), seconds, calls.get(), errors.get(), failed.get(), "call",
                latency.snapshot(), batched ? batch + "x" + c.recordBytes() + "B" : "1x" + c.recordBytes() + "B");
    }
}
