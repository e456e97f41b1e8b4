package dev.tributary.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.store.api.AppendRecord;
import dev.tributary.store.api.AppendResult;
import dev.tributary.store.api.KeyRange;
import dev.tributary.store.api.NodeInfo;
import dev.tributary.store.api.StoreConfig;
import dev.tributary.store.api.ShardClosedException;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.ShardLog;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StoredRecord;
import dev.tributary.store.api.StreamInfo;
import dev.tributary.store.api.StreamSpec;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A seeded operation fuzzer after Redpanda's opfuzz: random appends, reads, time lookups, splits,
 * merges, clock moves with retention, and (with files) clean and unclean restarts, each checked
 * against a plain in-test model. A failure names its seed and step; rerun that seed to reproduce.
 */
class StoreOperationFuzzTest {
    static final int OPS_IN_MEMORY = 3000;
    /** Fewer with files: segment rolls, restarts and full recovery scans cost real file operations. */
    static final int OPS_WITH_FILES = 1500;
    static final long T0 = 1_700_000_000_000L;
    static final boolean TRACE = Boolean.getBoolean("fuzz.trace");

    @TempDir
    Path tmp;
    ShardStore store;

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    static Stream<Arguments> seeds() {
        List<Arguments> args = new ArrayList<>();
        // -Dfuzz.repeat=60 -Dfuzz.seed=11 [-Dfuzz.mode=FILES] [-Dfuzz.replicated=true]: one case, many times,
        // to catch a race (docs/fuzzing.md).
        int repeat = Integer.getInteger("fuzz.repeat", 0);
        if (repeat > 0) {
            StoreMode mode = StoreMode.valueOf(System.getProperty("fuzz.mode", "FILES"));
            long seed = Long.getLong("fuzz.seed", 11L);
            boolean replicated = Boolean.parseBoolean(System.getProperty("fuzz.replicated", "true"));
            for (int i = 0; i < repeat; i++) {
                args.add(Arguments.of(mode, seed, replicated));
            }
            return args.stream();
        }
        for (StoreMode mode : StoreMode.values()) {
            for (long seed : new long[] {1, 2, 3, 4, 5}) {
                args.add(Arguments.of(mode, seed, false));
            }
            // -Dfuzz.replicatedSeeds=100 runs seeds 11..110 of the replicated variant (a long run).
            int replicatedSeeds = Integer.getInteger("fuzz.replicatedSeeds", 3);
            for (long seed = 11; seed < 11 + replicatedSeeds; seed++) {
                args.add(Arguments.of(mode, seed, true));
            }
        }
        return args.stream();
    }

    /** The model of one record. */
    record Rec(long ts, byte[] key, byte[] value, int flags) {
    }

    /** The model of one shard. */
    static final class ModelShard {
        final List<Rec> records = new ArrayList<>();
        boolean closed;
        long start;

        long startAt(long cutoff) {
            long s = start;
            while (s < records.size() && records.get((int) s).ts < cutoff) {
                s++;
            }
            start = s;
            return s;
        }
    }

    /**
     * Three nodes, every shard on all three; followers never leave the in-sync set for lag (the lag
     * time is far beyond the clock moves), so with acks=all every acknowledged record is on every
     * running replica and node stops must not change what the model sees.
     */
    static final StoreConfig.Replication REPLICATED = StoreConfig.Replication.of(3, 3, 1)
            .withLag(Duration.ofDays(100_000), 0);

    @ParameterizedTest(name = "{0} seed {1} replicated {2}")
    @MethodSource("seeds")
    void randomOperationsAgreeWithTheModel(StoreMode mode, long seed, boolean replicated) throws IOException {
        Random rnd = new Random(seed);
        MutableClock clock = new MutableClock(T0);
        StoreConfig config = mode.config(tmp, clock).withReplication(replicated ? REPLICATED
                : StoreConfig.Replication.NONE);
        store = ShardStores.open(config);
        Duration retention = Duration.ofHours(6);
        store.createStream(new StreamSpec("fuzz", 1 + rnd.nextInt(3), retention, Map.of()));
        List<ModelShard> model = new ArrayList<>();
        for (int i = 0; i < store.stream("fuzz").orElseThrow().shards().size(); i++) {
            model.add(new ModelShard());
        }
        long retentionMillis = retention.toMillis();
        int ops = mode == StoreMode.FILES ? (replicated ? OPS_WITH_FILES / 3 : OPS_WITH_FILES) : OPS_IN_MEMORY;
        for (int step = 0; step < ops; step++) {
            String where = mode + " seed " + seed + " replicated " + replicated + " step " + step;
            if (replicated && rnd.nextInt(100) < 4) {
                // Stop or start a node; at least one keeps running, so every shard has a leader.
                int node = rnd.nextInt(3);
                long running = store.nodes().stream().filter(NodeInfo::running).count();
                if (TRACE) {
                    System.out.println(where + " node " + node + " running=" + store.nodes());
                }
                if (store.nodes().get(node).running() && running > 1) {
                    store.stopNode(node);
                } else {
                    store.startNode(node);
                    awaitInSync(where);
                }
                continue;
            }
            long cutoff = clock.millis() - retentionMillis;
            StreamInfo info = store.stream("fuzz").orElseThrow();
            List<ShardInfo> open = info.openShards();
            int shard = rnd.nextInt(model.size());
            ShardLog log = store.log("fuzz", shard);
            ModelShard m = model.get(shard);
            int op = rnd.nextInt(100);
            if (op < 40) {
                ShardInfo target = open.get(rnd.nextInt(open.size()));
                ModelShard tm = model.get(target.index());
                List<AppendRecord> batch = new ArrayList<>();
                int n = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 60 : 5);
                for (int i = 0; i < n; i++) {
                    long ts = clock.millis() - (rnd.nextInt(8) == 0 ? rnd.nextInt(5000) : 0);
                    byte[] key = new byte[rnd.nextInt(20)];
                    byte[] value = new byte[rnd.nextInt(rnd.nextInt(20) == 0 ? 3000 : 200)];
                    rnd.nextBytes(key);
                    rnd.nextBytes(value);
                    batch.add(new AppendRecord(ts, key, value, rnd.nextInt()));
                }
                AppendResult r;
                try {
                    r = store.log("fuzz", target.index()).append(batch);
                } catch (dev.tributary.store.api.LeaderNotAvailableException e) {
                    throw new AssertionError(where + ": " + e.getMessage() + " state="
                            + store.replicaState("fuzz", target.index()) + " nodes=" + store.nodes(), e);
                }
                assertThat(r.firstOffset()).as(where).isEqualTo(tm.records.size());
                for (AppendRecord a : batch) {
                    tm.records.add(new Rec(a.timestampMillis(), a.key(), a.value(), a.flags()));
                }
            } else if (op < 65) {
                long start = m.startAt(cutoff);
                assertThat(log.startOffset()).as(where).isEqualTo(start);
                assertThat(log.endOffset()).as(where).isEqualTo(m.records.size());
                long from = start + (long) (rnd.nextDouble() * (m.records.size() - start + 1));
                int maxRecords = 1 + rnd.nextInt(100);
                long maxBytes = rnd.nextInt(3) == 0 ? Long.MAX_VALUE : rnd.nextInt(5000);
                checkRead(where, log.read(from, maxRecords, maxBytes), m, from, maxRecords, maxBytes);
            } else if (op < 72) {
                long start = m.startAt(cutoff);
                long t = clock.millis() - rnd.nextInt((int) retentionMillis + 10_000);
                long expected = start;
                while (expected < m.records.size() && m.records.get((int) expected).ts < t) {
                    expected++;
                }
                assertThat(log.offsetForTimestamp(t)).as(where).isEqualTo(expected);
                long last = -1;
                if (start < m.records.size()) {
                    last = m.records.stream().mapToLong(Rec::ts).max().orElse(-1);
                }
                assertThat(log.lastTimestamp()).as(where).isEqualTo(last);
            } else if (op < 77) {
                ShardInfo target = open.get(rnd.nextInt(open.size()));
                KeyRange r = target.keyRange();
                BigInteger width = r.end().subtract(r.start());
                if (width.signum() > 0) {
                    BigInteger key = r.start().add(BigInteger.ONE).add(new BigInteger(130, rnd).mod(width));
                    StreamInfo after = store.splitShard("fuzz", target.index(), key);
                    model.get(target.index()).closed = true;
                    model.add(new ModelShard());
                    model.add(new ModelShard());
                    assertThat(after.shards().get(target.index()).endOffset()).as(where)
                            .isEqualTo(model.get(target.index()).records.size());
                }
            } else if (op < 79) {
                if (open.size() > 1) {
                    List<ShardInfo> sorted = new ArrayList<>(open);
                    sorted.sort(Comparator.comparing(s -> s.keyRange().start()));
                    int i = rnd.nextInt(sorted.size() - 1);
                    ShardInfo a = sorted.get(i);
                    ShardInfo b = sorted.get(i + 1);
                    if (rnd.nextBoolean()) {
                        ShardInfo t = a;
                        a = b;
                        b = t;
                    }
                    store.mergeShards("fuzz", a.index(), b.index());
                    model.get(a.index()).closed = true;
                    model.get(b.index()).closed = true;
                    model.add(new ModelShard());
                }
            } else if (op < 90) {
                clock.advance(Duration.ofMillis(rnd.nextInt(2 * 3_600_000)));
                if (rnd.nextBoolean()) {
                    store.enforceRetention();
                }
            } else if (op < 94) {
                if (m.closed) {
                    assertThatThrownBy(() -> log.append(List.of(new AppendRecord(clock.millis(), new byte[0],
                            new byte[0], 0)))).as(where).isInstanceOf(ShardClosedException.class);
                }
                assertThat(log.isClosed()).as(where).isEqualTo(m.closed);
            } else if (op < 98) {
                long start = m.startAt(cutoff);
                try (var cursor = log.cursor(start)) {
                    long pos = start;
                    while (true) {
                        List<StoredRecord> got = cursor.poll(1 + rnd.nextInt(50), 1 + rnd.nextInt(4000));
                        if (got.isEmpty()) {
                            break;
                        }
                        for (StoredRecord r : got) {
                            assertThat(r.offset()).as(where).isEqualTo(pos++);
                        }
                    }
                    assertThat(pos).as(where).isEqualTo(m.records.size());
                    assertThat(cursor.isAtClosedEnd()).as(where).isEqualTo(m.closed);
                }
            } else if (mode == StoreMode.FILES) {
                store.close();
                store = null;
                if (rnd.nextBoolean()) {
                    Files.delete(tmp.resolve(".clean-shutdown"));
                }
                store = ShardStores.open(config);
                if (replicated) {
                    awaitInSync(where); // every node runs again; the ones that were stopped copy what they missed
                    int shards = store.stream("fuzz").orElseThrow().shards().size();
                    for (int i = 0; i < shards; i++) {
                        // Every shard keeps its three copies across restarts (replicas.meta is complete).
                        assertThat(store.replicaState("fuzz", i).replicas()).as(where + " shard " + i).hasSize(3);
                    }
                }
                checkAll(mode + " seed " + seed + " after reopen at step " + step, model, clock.millis() - retentionMillis);
            }
        }
        checkAll(mode + " seed " + seed + " at the end", model, clock.millis() - retentionMillis);
    }

    /** Waits (bounded) until every running replica of every shard is back in its in-sync set. */
    private void awaitInSync(String where) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        int shards = store.stream("fuzz").orElseThrow().shards().size();
        for (int i = 0; i < shards; i++) {
            while (true) {
                var st = store.replicaState("fuzz", i);
                boolean done = st.replicas().stream().filter(n -> store.nodes().get(n).running())
                        .allMatch(st.isr()::contains);
                if (done) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(where + ": shard " + i + " did not get back in sync: " + st);
                }
                Thread.yield();
            }
        }
    }

    private void checkAll(String where, List<ModelShard> model, long cutoff) {
        StreamInfo info = store.stream("fuzz").orElseThrow();
        assertThat(info.shards()).as(where).hasSize(model.size());
        for (int i = 0; i < model.size(); i++) {
            ModelShard m = model.get(i);
            ShardLog log = store.log("fuzz", i);
            long start = m.startAt(cutoff);
            assertThat(log.startOffset()).as(where + " shard " + i).isEqualTo(start);
            assertThat(log.endOffset()).as(where + " shard " + i).isEqualTo(m.records.size());
            assertThat(log.isClosed()).as(where + " shard " + i).isEqualTo(m.closed);
            assertThat(info.shards().get(i).endOffset()).as(where + " shard " + i)
                    .isEqualTo(m.closed ? m.records.size() : -1);
            checkRead(where + " shard " + i, log.read(start, Integer.MAX_VALUE, Long.MAX_VALUE), m, start,
                    Integer.MAX_VALUE, Long.MAX_VALUE);
        }
    }

    private static void checkRead(String where, List<StoredRecord> got, ModelShard m, long from, int maxRecords,
                                  long maxBytes) {
        List<Long> expected = new ArrayList<>();
        long bytes = 0;
        for (long o = from; o < m.records.size() && expected.size() < maxRecords; o++) {
            Rec r = m.records.get((int) o);
            int size = r.key.length + r.value.length;
            if (!expected.isEmpty() && bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            expected.add(o);
        }
        assertThat(got).as(where).extracting(StoredRecord::offset).containsExactlyElementsOf(expected);
        for (StoredRecord r : got) {
            Rec e = m.records.get((int) r.offset());
            if (r.timestampMillis() != e.ts || r.flags() != e.flags || !Arrays.equals(r.key(), e.key)
                    || !Arrays.equals(r.value(), e.value)) {
                throw new AssertionError(where + ": record " + r.offset() + " differs from the model");
            }
        }
    }
}
