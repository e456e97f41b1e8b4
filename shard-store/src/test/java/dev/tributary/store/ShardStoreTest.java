package dev.tributary.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.store.api.AppendRecord;
import dev.tributary.store.api.AppendResult;
import dev.tributary.store.api.InvalidTopologyException;
import dev.tributary.store.api.KeyRange;
import dev.tributary.store.api.NewShard;
import dev.tributary.store.api.OffsetOutOfRangeException;
import dev.tributary.store.api.ShardClosedException;
import dev.tributary.store.api.ShardCursor;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.ShardLog;
import dev.tributary.store.api.ShardNotFoundException;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StoredRecord;
import dev.tributary.store.api.StreamExistsException;
import dev.tributary.store.api.StreamInfo;
import dev.tributary.store.api.StreamNotFoundException;
import dev.tributary.store.api.StreamSpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Store behaviour that holds alike for files and memory. */
class ShardStoreTest {
    static final long T0 = 1_700_000_000_000L;
    static final Duration DAY = Duration.ofDays(1);

    @TempDir
    Path tmp;
    final MutableClock clock = new MutableClock(T0);
    ShardStore store;

    ShardStore open(StoreMode mode) {
        store = ShardStores.open(mode.config(tmp, clock));
        return store;
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    static AppendRecord rec(long ts, String key, String value, int flags) {
        return new AppendRecord(ts, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), flags);
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static StreamSpec spec(String name, int shards) {
        return new StreamSpec(name, shards, DAY, Map.of());
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void appendsAndReadsRoundTripAcrossSegmentRolls(StoreMode mode) {
        open(mode).createStream(spec("s", 1));
        ShardLog log = store.log("s", 0);
        List<AppendRecord> all = new ArrayList<>();
        for (int b = 0; b < 60; b++) {
            List<AppendRecord> batch = new ArrayList<>();
            for (int i = 0; i < 1 + b % 4; i++) {
                int n = all.size() + batch.size();
                batch.add(rec(T0 + n, "k" + n, "value-" + n + "-" + "x".repeat(n % 97), n * 7));
            }
            AppendResult r = log.append(batch);
            assertThat(r.firstOffset()).isEqualTo(all.size());
            assertThat(r.count()).isEqualTo(batch.size());
            all.addAll(batch);
        }
        assertThat(log.endOffset()).isEqualTo(all.size());
        List<StoredRecord> read = log.read(0, 100_000, Long.MAX_VALUE);
        assertThat(read).hasSize(all.size());
        for (int i = 0; i < all.size(); i++) {
            StoredRecord r = read.get(i);
            assertThat(r.offset()).isEqualTo(i);
            assertThat(r.timestampMillis()).isEqualTo(all.get(i).timestampMillis());
            assertThat(str(r.key())).isEqualTo(str(all.get(i).key()));
            assertThat(str(r.value())).isEqualTo(str(all.get(i).value()));
            assertThat(r.flags()).isEqualTo(i * 7);
        }
        for (int from = 0; from < all.size(); from += 13) {
            List<StoredRecord> part = log.read(from, 5, Long.MAX_VALUE);
            assertThat(part).extracting(StoredRecord::offset)
                    .containsExactlyElementsOf(range(from, Math.min(from + 5, all.size())));
        }
        assertThat(log.read(all.size(), 10, 1000)).isEmpty();
    }

    static List<Long> range(long from, long to) {
        List<Long> l = new ArrayList<>();
        for (long i = from; i < to; i++) {
            l.add(i);
        }
        return l;
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void readStopsAtMaxBytesButAlwaysReturnsTheFirstRecord(StoreMode mode) {
        open(mode).createStream(spec("s", 1));
        ShardLog log = store.log("s", 0);
        log.append(List.of(rec(T0, "k", "v".repeat(99), 0), rec(T0, "k", "v".repeat(99), 0),
                rec(T0, "k", "v".repeat(99), 0)));
        assertThat(log.read(0, 10, 10)).extracting(StoredRecord::offset).containsExactly(0L);
        assertThat(log.read(0, 10, 200)).extracting(StoredRecord::offset).containsExactly(0L, 1L);
        assertThat(log.read(0, 10, 300)).extracting(StoredRecord::offset).containsExactly(0L, 1L, 2L);
        assertThat(log.read(1, 1, Long.MAX_VALUE)).extracting(StoredRecord::offset).containsExactly(1L);
        assertThat(log.read(0, 0, Long.MAX_VALUE)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void readOutsideTheLogThrowsOffsetOutOfRange(StoreMode mode) {
        open(mode).createStream(spec("s", 1));
        ShardLog log = store.log("s", 0);
        log.append(List.of(rec(T0, "k", "v", 0)));
        assertThatThrownBy(() -> log.read(2, 10, 100)).isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessage("offset 2 is outside [0, 1] of shard 0 of stream s");
        assertThatThrownBy(() -> log.read(-1, 10, 100)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void createStreamSplitsKeySpaceEvenlyAndRejectsDuplicates(StoreMode mode) {
        StreamInfo info = open(mode).createStream(new StreamSpec("orders/é 1", 3, DAY, Map.of("a", "b")));
        assertThat(info.shards()).extracting(ShardInfo::keyRange).containsExactlyElementsOf(KeyRange.evenSplit(3));
        assertThat(info.shards()).allMatch(ShardInfo::isOpen).allMatch(s -> s.endOffset() == -1);
        assertThat(info.createdAt()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(info.version()).isEqualTo(1);
        assertThat(store.stream("orders/é 1")).contains(info);
        assertThatThrownBy(() -> store.createStream(spec("orders/é 1", 1)))
                .isInstanceOf(StreamExistsException.class).hasMessage("Stream orders/é 1 already exists");
        store.createStream(spec("a", 1));
        assertThat(store.streams()).extracting(StreamInfo::name).containsExactly("a", "orders/é 1");
        assertThat(store.streams().get(0).id()).isNotEqualTo(info.id());
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void splitClosesParentAndOpensTwoChildren(StoreMode mode) {
        open(mode).createStream(spec("s", 2));
        ShardLog parent = store.log("s", 1);
        parent.append(List.of(rec(T0, "a", "1", 0), rec(T0, "b", "2", 0)));
        KeyRange r = KeyRange.evenSplit(2).get(1);
        BigInteger key = r.start().add(BigInteger.TEN);
        clock.advance(Duration.ofSeconds(5));
        StreamInfo info = store.splitShard("s", 1, key);

        assertThat(info.version()).isEqualTo(2);
        assertThat(info.shards()).hasSize(4);
        ShardInfo closed = info.shards().get(1);
        assertThat(closed.isOpen()).isFalse();
        assertThat(closed.closedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 5000));
        assertThat(closed.endOffset()).isEqualTo(2);
        assertThat(info.shards().get(2)).isEqualTo(new ShardInfo(2, new KeyRange(r.start(), key.subtract(BigInteger.ONE)),
                OptionalInt.of(1), OptionalInt.empty(), Instant.ofEpochMilli(T0 + 5000), null, -1));
        assertThat(info.shards().get(3).keyRange()).isEqualTo(new KeyRange(key, r.end()));
        assertThat(info.shards().get(3).parent()).hasValue(1);
        assertThat(info.openShards()).extracting(ShardInfo::index).containsExactly(0, 2, 3);

        assertThat(parent.isClosed()).isTrue();
        assertThatThrownBy(() -> parent.append(List.of(rec(T0, "c", "3", 0))))
                .isInstanceOf(ShardClosedException.class).hasMessage("shard 1 of stream s is closed");
        assertThat(parent.read(0, 10, 1000)).hasSize(2);
        store.log("s", 2).append(List.of(rec(T0, "c", "3", 0)));
        assertThat(store.log("s", 2).endOffset()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void splitRejectsClosedShardsKeysOutsideTheRangeAndUnknownShards(StoreMode mode) {
        open(mode).createStream(spec("s", 2));
        KeyRange r = KeyRange.evenSplit(2).get(0);
        assertThatThrownBy(() -> store.splitShard("s", 0, r.start()))
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessage("New starting key 0 is not strictly inside the key range [0, " + r.end()
                        + "] of shard 0 of stream s");
        assertThatThrownBy(() -> store.splitShard("s", 0, r.end().add(BigInteger.ONE)))
                .isInstanceOf(InvalidTopologyException.class);
        store.splitShard("s", 0, r.end()); // the last key is allowed: the upper child is one key wide
        assertThatThrownBy(() -> store.splitShard("s", 0, BigInteger.ONE))
                .isInstanceOf(InvalidTopologyException.class).hasMessage("Shard 0 of stream s is closed");
        assertThatThrownBy(() -> store.splitShard("s", 9, BigInteger.ONE))
                .isInstanceOf(ShardNotFoundException.class).hasMessage("Shard 9 not found in stream s");
        assertThatThrownBy(() -> store.splitShard("nope", 0, BigInteger.ONE))
                .isInstanceOf(StreamNotFoundException.class).hasMessage("Stream nope not found");
        assertThat(store.stream("s").orElseThrow().version()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void mergeClosesBothParentsAndOpensChildOverTheUnion(StoreMode mode) {
        open(mode).createStream(spec("s", 3));
        store.log("s", 1).append(List.of(rec(T0, "a", "1", 0)));
        StreamInfo info = store.mergeShards("s", 2, 1);
        List<KeyRange> ranges = KeyRange.evenSplit(3);
        ShardInfo child = info.shards().get(3);
        assertThat(child.keyRange()).isEqualTo(new KeyRange(ranges.get(1).start(), ranges.get(2).end()));
        assertThat(child.parent()).hasValue(2);
        assertThat(child.adjacentParent()).hasValue(1);
        assertThat(info.shards().get(1).endOffset()).isEqualTo(1);
        assertThat(info.shards().get(2).endOffset()).isEqualTo(0);
        assertThat(info.openShards()).extracting(ShardInfo::index).containsExactly(0, 3);
        assertThatThrownBy(() -> store.log("s", 2).append(List.of(rec(T0, "a", "1", 0))))
                .isInstanceOf(ShardClosedException.class);
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void mergeRejectsNonAdjacentClosedAndSameShards(StoreMode mode) {
        open(mode).createStream(spec("s", 3));
        assertThatThrownBy(() -> store.mergeShards("s", 0, 2)).isInstanceOf(InvalidTopologyException.class)
                .hasMessage("Shards 0 and 2 of stream s are not adjacent");
        assertThatThrownBy(() -> store.mergeShards("s", 1, 1)).isInstanceOf(InvalidTopologyException.class)
                .hasMessage("Cannot merge shard 1 of stream s with itself");
        assertThatThrownBy(() -> store.mergeShards("s", 1, 7)).isInstanceOf(ShardNotFoundException.class)
                .hasMessage("Shard 7 not found in stream s");
        store.mergeShards("s", 0, 1);
        assertThatThrownBy(() -> store.mergeShards("s", 1, 2)).isInstanceOf(InvalidTopologyException.class)
                .hasMessage("Shard 1 of stream s is closed");
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void reshardRescalesUniformlyAndAddsPartitionsWithoutParents(StoreMode mode) {
        open(mode).createStream(spec("s", 2));
        List<NewShard> three = KeyRange.evenSplit(3).stream()
                .map(r -> new NewShard(r, OptionalInt.of(0), OptionalInt.of(1))).toList();
        StreamInfo info = store.reshard("s", three, List.of(0, 1));
        assertThat(info.openShards()).extracting(ShardInfo::index).containsExactly(2, 3, 4);
        info = store.reshard("s", List.of(new NewShard(KeyRange.all(), OptionalInt.empty(), OptionalInt.empty())),
                List.of());
        assertThat(info.openShards()).extracting(ShardInfo::index).containsExactly(2, 3, 4, 5);
        assertThatThrownBy(() -> store.reshard("s", List.of(new NewShard(KeyRange.evenSplit(3).get(0),
                OptionalInt.empty(), OptionalInt.empty())), List.of(2, 3)))
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessage("New shards of stream s must cover exactly the key ranges of the shards they replace");
        assertThatThrownBy(() -> store.reshard("s", List.of(), List.of(2)))
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessage("A reshard of stream s must open at least one shard");
        assertThat(store.stream("s").orElseThrow().openShards()).hasSize(4);
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void offsetForTimestampFindsTheFirstRecordAtOrAfter(StoreMode mode) {
        open(mode).createStream(spec("s", 1));
        ShardLog log = store.log("s", 0);
        for (int i = 0; i < 200; i++) {
            log.append(List.of(rec(T0 + i * 10L, "k", "v".repeat(50), 0)));
        }
        assertThat(log.offsetForTimestamp(0)).isEqualTo(0);
        assertThat(log.offsetForTimestamp(T0)).isEqualTo(0);
        assertThat(log.offsetForTimestamp(T0 + 1)).isEqualTo(1);
        assertThat(log.offsetForTimestamp(T0 + 1000)).isEqualTo(100);
        assertThat(log.offsetForTimestamp(T0 + 1995)).isEqualTo(200);
        assertThat(log.offsetForTimestamp(Long.MAX_VALUE)).isEqualTo(200);
        assertThat(log.lastTimestamp()).isEqualTo(T0 + 1990);
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void awaitAppendCompletesOnAppendAndOnClose(StoreMode mode) throws Exception {
        open(mode).createStream(spec("s", 2));
        ShardLog log = store.log("s", 0);
        CompletableFuture<Long> f = log.awaitAppend(0);
        assertThat(f).isNotDone();
        log.append(List.of(rec(T0, "k", "v", 0)));
        assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(log.awaitAppend(0)).isCompletedWithValue(1L);
        CompletableFuture<Long> g = log.awaitAppend(1);
        assertThat(g).isNotDone();
        store.mergeShards("s", 0, 1);
        assertThat(g.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(log.awaitAppend(5)).isCompletedWithValue(1L);
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void cursorReadsSequentiallyAndReportsClosedEnd(StoreMode mode) {
        open(mode).createStream(spec("s", 2));
        ShardLog log = store.log("s", 0);
        for (int i = 0; i < 10; i++) {
            log.append(List.of(rec(T0, "k", "v" + i, 0)));
        }
        try (ShardCursor c = log.cursor(3)) {
            assertThat(c.poll(4, Long.MAX_VALUE)).extracting(StoredRecord::offset).containsExactly(3L, 4L, 5L, 6L);
            assertThat(c.position()).isEqualTo(7);
            assertThat(c.poll(100, Long.MAX_VALUE)).hasSize(3);
            assertThat(c.poll(100, Long.MAX_VALUE)).isEmpty();
            assertThat(c.isAtClosedEnd()).isFalse();
            store.mergeShards("s", 0, 1);
            assertThat(c.isAtClosedEnd()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void retentionHidesExpiredRecordsAndCursorsSkipThem(StoreMode mode) {
        open(mode).createStream(spec("s", 1));
        ShardLog log = store.log("s", 0);
        for (int i = 0; i < 100; i++) {
            log.append(List.of(rec(clock.millis(), "k", "v".repeat(100), 0)));
            clock.advance(Duration.ofMinutes(1));
        }
        ShardCursor c = log.cursor(0);
        // now = T0 + 100 min; keep records with ts >= now - 1 day: all of them
        assertThat(log.startOffset()).isEqualTo(0);
        clock.advance(DAY.minusMinutes(30)); // cutoff = T0 + 70 min
        assertThat(log.startOffset()).isEqualTo(70);
        assertThat(log.read(70, 1, Long.MAX_VALUE).get(0).timestampMillis()).isEqualTo(T0 + 70 * 60_000L);
        assertThatThrownBy(() -> log.read(69, 1, Long.MAX_VALUE)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(c.position()).isEqualTo(70);
        assertThat(c.poll(1, Long.MAX_VALUE)).extracting(StoredRecord::offset).containsExactly(70L);
        assertThat(log.offsetForTimestamp(0)).isEqualTo(70);
        store.enforceRetention();
        assertThat(log.read(70, 1000, Long.MAX_VALUE)).hasSize(30);
        clock.advance(DAY);
        assertThat(log.startOffset()).isEqualTo(100);
        assertThat(log.lastTimestamp()).isEqualTo(-1);
        assertThat(log.read(100, 10, 100)).isEmpty();
        store.enforceRetention();
        log.append(List.of(rec(clock.millis(), "k", "fresh", 0)));
        assertThat(log.read(100, 10, Long.MAX_VALUE)).extracting(r -> str(r.value())).containsExactly("fresh");
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void updateStreamReplacesAttributesAndRetention(StoreMode mode) {
        open(mode).createStream(new StreamSpec("s", 1, DAY, Map.of("status", "CREATING")));
        StreamInfo info = store.updateStream("s", m -> {
            Map<String, String> n = new HashMap<>(m);
            n.put("status", "ACTIVE");
            n.put("tag:x", "y");
            return n;
        }, Duration.ofHours(48));
        assertThat(info.attributes()).isEqualTo(Map.of("status", "ACTIVE", "tag:x", "y"));
        assertThat(info.retention()).isEqualTo(Duration.ofHours(48));
        assertThat(info.version()).isEqualTo(2);
        info = store.updateStream("s", m -> m, null);
        assertThat(info.retention()).isEqualTo(Duration.ofHours(48));
        assertThat(info.version()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void deleteStreamFailsItsLogsAndAllowsRecreation(StoreMode mode) {
        StreamInfo first = open(mode).createStream(spec("s", 1));
        ShardLog log = store.log("s", 0);
        log.append(List.of(rec(T0, "k", "v", 0)));
        ShardCursor c = log.cursor(0);
        store.deleteStream("s");
        assertThat(store.stream("s")).isEmpty();
        assertThatThrownBy(() -> log.append(List.of(rec(T0, "k", "v", 0))))
                .isInstanceOf(StreamNotFoundException.class).hasMessage("Stream s not found");
        assertThatThrownBy(() -> log.read(0, 1, 1)).isInstanceOf(StreamNotFoundException.class);
        assertThatThrownBy(() -> c.poll(1, 1)).isInstanceOf(StreamNotFoundException.class);
        assertThatThrownBy(() -> store.log("s", 0)).isInstanceOf(StreamNotFoundException.class);
        assertThatThrownBy(() -> store.deleteStream("s")).isInstanceOf(StreamNotFoundException.class);
        StreamInfo second = store.createStream(spec("s", 1));
        assertThat(second.id()).isGreaterThan(first.id());
        assertThat(store.log("s", 0).endOffset()).isEqualTo(0);
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void concurrentWritersAndTailingReadersSeeEveryRecordOnceInOrder(StoreMode mode) throws Exception {
        open(mode).createStream(spec("s", 4));
        int perShard = 3000;
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean[] seenAll = new AtomicBoolean[4];
        for (int s = 0; s < 4; s++) {
            int shard = s;
            seenAll[s] = new AtomicBoolean();
            ShardLog log = store.log("s", shard);
            threads.add(new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < perShard; i += 3) {
                        log.append(List.of(rec(T0, "k", shard + ":" + i, 0), rec(T0, "k", shard + ":" + (i + 1), 0),
                                rec(T0, "k", shard + ":" + (i + 2), 0)));
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            }));
            threads.add(new Thread(() -> {
                try (ShardCursor c = log.cursor(0)) {
                    go.await();
                    int expected = 0;
                    while (expected < perShard) {
                        List<StoredRecord> got = c.poll(500, 64 * 1024);
                        if (got.isEmpty()) {
                            log.awaitAppend(c.position()).get(10, TimeUnit.SECONDS);
                        }
                        for (StoredRecord r : got) {
                            if (r.offset() != expected || !str(r.value()).equals(shard + ":" + expected)) {
                                throw new AssertionError("shard " + shard + " expected " + expected + " got " + r.offset());
                            }
                            expected++;
                        }
                    }
                    seenAll[shard].set(c.poll(10, 100).isEmpty());
                } catch (Throwable t) {
                    errors.add(t);
                }
            }));
        }
        threads.forEach(Thread::start);
        go.countDown();
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertThat(errors).isEmpty();
        for (AtomicBoolean b : seenAll) {
            assertThat(b.get()).isTrue();
        }
    }
}
