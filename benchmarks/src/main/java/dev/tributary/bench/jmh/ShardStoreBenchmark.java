package dev.tributary.bench.jmh;

import dev.tributary.store.ShardStores;
import dev.tributary.store.api.AppendRecord;
import dev.tributary.store.api.ShardLog;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StoreConfig;
import dev.tributary.store.api.StoredRecord;
import dev.tributary.store.api.StreamSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The shard store without HTTP: appending batches of 500 x 1 KiB records to one shard, and
 * reading them back 500 at a time. Throughput is in records per second. The stream is deleted and
 * recreated after every iteration, so a run never keeps more than one iteration's data on disk.
 * <pre>
 * java -cp benchmarks/target/tributary-bench.jar org.openjdk.jmh.Main ShardStoreBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class ShardStoreBenchmark {
    private static final int BATCH = 500;
    private static final int RECORD_BYTES = 1024;
    private static final int READ_RECORDS = 100_000;

    /** {@code memory} or a data directory with the given fsync policy. */
    @Param({"memory", "never", "interval"})
    public String storage;

    private Path dir;
    private ShardStore store;
    private ShardLog log;
    private List<AppendRecord> batch;
    private long readOffset;
    private int generation;

    @Setup(Level.Trial)
    public void open() throws IOException {
        Random random = new Random(42);
        batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            byte[] key = Long.toHexString(random.nextLong()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] value = new byte[RECORD_BYTES];
            random.nextBytes(value);
            batch.add(new AppendRecord(System.currentTimeMillis(), key, value, 0));
        }
        StoreConfig config;
        if (storage.equals("memory")) {
            config = StoreConfig.defaults(null);
        } else {
            dir = Files.createTempDirectory("tributary-jmh");
            config = StoreConfig.defaults(dir).withFsync(StoreConfig.FsyncPolicy.valueOf(
                    storage.toUpperCase(java.util.Locale.ROOT)), Duration.ofSeconds(1));
        }
        store = ShardStores.open(config);
        newStream();
    }

    @Setup(Level.Iteration)
    public void freshStream() {
        store.deleteStream(streamName());
        generation++;
        newStream();
    }

    private void newStream() {
        store.createStream(new StreamSpec(streamName(), 1, Duration.ofHours(24), Map.of()));
        log = store.log(streamName(), 0);
        for (int i = 0; i < READ_RECORDS / BATCH; i++) {
            log.append(batch);
        }
        readOffset = 0;
    }

    private String streamName() {
        return "jmh-" + generation;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long append500x1KiB() {
        return log.append(batch).hashCode();
    }

    /** Reads the first {@value #READ_RECORDS} records over and over, 500 per call. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int read500() {
        List<StoredRecord> records = log.read(readOffset, BATCH, 16L << 20);
        readOffset += records.size();
        if (readOffset >= READ_RECORDS) {
            readOffset = 0;
        }
        return records.size();
    }
}
