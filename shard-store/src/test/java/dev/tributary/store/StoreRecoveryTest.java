package dev.tributary.store;

import static dev.tributary.store.ShardStoreTest.T0;
import static dev.tributary.store.ShardStoreTest.rec;
import static dev.tributary.store.ShardStoreTest.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.store.api.AppendRecord;
import dev.tributary.store.api.CorruptStoreException;
import dev.tributary.store.api.KeyRange;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.ShardLog;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StorageException;
import dev.tributary.store.api.StoreConfig;
import dev.tributary.store.api.StoredRecord;
import dev.tributary.store.api.StreamInfo;
import dev.tributary.store.api.StreamSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Durability: restart, crash recovery of torn and corrupt segments, metadata that survives. */
class StoreRecoveryTest {
    @TempDir
    Path tmp;
    final MutableClock clock = new MutableClock(T0);
    ShardStore store;

    StoreConfig config() {
        return StoreMode.FILES.config(tmp, clock);
    }

    ShardStore open() {
        store = ShardStores.open(config());
        return store;
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** Closes the store as a crash would leave it: without the clean-shutdown marker. */
    void crash() throws IOException {
        store.close();
        store = null;
        Files.delete(tmp.resolve(".clean-shutdown"));
    }

    void cleanClose() {
        store.close();
        store = null;
    }

    Path shardDir(long streamId, int shard) {
        return tmp.resolve("streams").resolve(Long.toString(streamId)).resolve("shard-" + shard);
    }

    List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** Appends {@code batches} batches of 1-3 records; returns each batch's end offset and the segment size after it. */
    static List<long[]> fill(ShardLog log, int batches, Path dir) throws IOException {
        List<long[]> ends = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            List<AppendRecord> batch = new ArrayList<>();
            for (int i = 0; i <= b % 3; i++) {
                long n = log.endOffset() + i;
                batch.add(rec(T0 + n, "key" + n, "value-" + n, (int) n));
            }
            log.append(batch);
            Path last = lastSegment(dir);
            ends.add(new long[] {log.endOffset(), Files.size(last), baseOf(last)});
        }
        return ends;
    }

    static Path lastSegment(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".log")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    static long baseOf(Path segment) {
        return Long.parseLong(segment.getFileName().toString().substring(0, 20));
    }

    static void assertRecords(ShardLog log, long count) {
        List<StoredRecord> all = log.read(log.startOffset(), Integer.MAX_VALUE, Long.MAX_VALUE);
        assertThat(all).hasSize((int) count);
        for (int i = 0; i < count; i++) {
            assertThat(all.get(i).offset()).isEqualTo(i);
            assertThat(str(all.get(i).value())).isEqualTo("value-" + i);
            assertThat(all.get(i).timestampMillis()).isEqualTo(T0 + i);
        }
    }

    @Test
    void restartKeepsEveryRecordAndContinuesOffsets() throws IOException {
        open().createStream(new StreamSpec("s", 1, Duration.ofDays(1), Map.of()));
        fill(store.log("s", 0), 100, shardDir(1, 0));
        long end = store.log("s", 0).endOffset();
        cleanClose();
        open();
        ShardLog log = store.log("s", 0);
        assertThat(log.endOffset()).isEqualTo(end);
        assertRecords(log, end);
        log.append(List.of(rec(T0 + end, "k", "value-" + end, 0)));
        assertRecords(log, end + 1);
        assertThat(log.offsetForTimestamp(T0 + 50)).isEqualTo(50);
        assertThat(log.lastTimestamp()).isEqualTo(T0 + end);
    }

    @Test
    void metadataLineageAttributesAndRetentionSurviveRestart() {
        open().createStream(new StreamSpec("orders", 2, Duration.ofDays(1), Map.of("status", "ACTIVE")));
        store.log("orders", 0).append(List.of(rec(T0, "k", "v", 0)));
        store.splitShard("orders", 0, BigInteger.valueOf(1000));
        store.mergeShards("orders", 3, 1);
        store.updateStream("orders", m -> Map.of("status", "UPDATING", "tag:team", "a|b=c\n"), Duration.ofHours(72));
        store.createStream(new StreamSpec("gone", 1, Duration.ofDays(1), Map.of()));
        store.deleteStream("gone");
        StreamInfo before = store.stream("orders").orElseThrow();
        cleanClose();

        open();
        assertThat(store.streams()).containsExactly(before);
        StreamInfo after = store.stream("orders").orElseThrow();
        assertThat(after.shards()).extracting(ShardInfo::index).containsExactly(0, 1, 2, 3, 4);
        assertThat(after.shards().get(0).endOffset()).isEqualTo(1);
        assertThat(after.shards().get(4).parent()).hasValue(3);
        assertThat(after.shards().get(4).adjacentParent()).hasValue(1);
        assertThat(store.log("orders", 0).isClosed()).isTrue();
        assertThat(store.log("orders", 4).isClosed()).isFalse();
        assertThat(store.createStream(new StreamSpec("new", 1, Duration.ofDays(1), Map.of())).id()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void recoveryTruncatesAtGarbageWrittenOverTheTail(int seed) throws IOException {
        Random random = new Random(seed);
        store = ShardStores.open(config().withSegmentBytes(1 << 20)); // one segment of ~8 KiB
        store.createStream(new StreamSpec("s", 1, Duration.ofDays(1), Map.of()));
        Path dir = shardDir(1, 0);
        List<long[]> ends = fill(store.log("s", 0), 120, dir);
        crash();
        Path segment = lastSegment(dir);
        long base = baseOf(segment);
        long size = Files.size(segment);
        long garbageAt = random.nextInt((int) size);
        byte[] garbage = new byte[1 + random.nextInt(300)];
        random.nextBytes(garbage);
        garbage[0] = (byte) (garbage[0] == 0 ? 1 : garbage[0]); // make sure the first byte changes something
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(garbageAt);
            f.write(garbage);
        }
        // Survivors: every batch that ends at or before the first garbage byte.
        long expectedEnd = base;
        long expectedSize = 0;
        for (long[] e : ends) {
            if (e[2] == base && e[1] <= garbageAt) {
                expectedEnd = e[0];
                expectedSize = e[1];
            }
        }

        store = ShardStores.open(config().withSegmentBytes(1 << 20));
        ShardLog log = store.log("s", 0);
        assertThat(log.endOffset()).isEqualTo(expectedEnd);
        assertThat(Files.size(segment)).isEqualTo(expectedSize);
        assertRecords(log, expectedEnd);
        log.append(List.of(rec(T0 + expectedEnd, "k", "value-" + expectedEnd, 0)));
        crash();
        open();
        assertRecords(store.log("s", 0), expectedEnd + 1);
    }

    @Test
    void cleanShutdownStillValidatesTheTailOfTheActiveSegment() throws IOException {
        open().createStream(new StreamSpec("s", 1, Duration.ofDays(1), Map.of()));
        Path dir = shardDir(1, 0);
        List<long[]> ends = fill(store.log("s", 0), 30, dir);
        cleanClose();
        Path segment = lastSegment(dir);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(Files.size(segment) - 5);
            f.write(new byte[] {9, 9, 9});
        }
        open();
        assertThat(store.log("s", 0).endOffset()).isEqualTo(ends.get(28)[0]);
        assertRecords(store.log("s", 0), ends.get(28)[0]);
    }

    @Test
    void readsFailLoudlyOnCorruptionThatRecoveryDidNotScan() throws IOException {
        store = ShardStores.open(config().withSegmentBytes(1 << 20));
        store.createStream(new StreamSpec("s", 1, Duration.ofDays(1), Map.of()));
        Path dir = shardDir(1, 0);
        fill(store.log("s", 0), 100, dir);
        cleanClose(); // after a clean shutdown only the tail is validated
        Path segment = lastSegment(dir);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(60); // a value byte of the first batch
            f.write(0x7F);
        }
        store = ShardStores.open(config().withSegmentBytes(1 << 20));
        assertThatThrownBy(() -> store.log("s", 0).read(0, 10, Long.MAX_VALUE))
                .isInstanceOf(CorruptStoreException.class)
                .hasMessage("segment 00000000000000000000.log has a batch at offset 0 that fails its checksum");
        assertThat(store.log("s", 0).read(50, 1, 1)).extracting(StoredRecord::offset).containsExactly(50L);
    }

    @Test
    void recoveryTruncatesPartialTrailingBatch() throws IOException {
        open().createStream(new StreamSpec("s", 1, Duration.ofDays(1), Map.of()));
        Path dir = shardDir(1, 0);
        List<long[]> ends = fill(store.log("s", 0), 10, dir);
        crash();
        Path segment = lastSegment(dir);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(Files.size(segment) - 7);
        }
        open();
        assertThat(store.log("s", 0).endOffset()).isEqualTo(ends.get(8)[0]);
        assertThat(Files.size(segment)).isEqualTo(ends.get(8)[1]);
        assertRecords(store.log("s", 0), ends.get(8)[0]);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void recoveryTruncatesZeroFilledTail(boolean cleanShutdown) throws IOException {
        open().createStream(new StreamSpec("s", 1, Duration.ofDays(1), Map.of()));
        Path dir = shardDir(1, 0);
        List<long[]> ends = fill(store.log("s", 0), 10, dir);
        if (cleanShutdown) {
            cleanClose();
        } else {
            crash();
        }
        Path segment = lastSegment(dir);
        long size = Files.size(segment);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(size + 8192);
        }
        open();
        assertThat(Files.size(segment)).isEqualTo(size);
        assertRecords(store.log("s", 0), ends.get(9)[0]);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void missingOrGarbledIndexesAreRebuilt(boolean garble) throws IOException {
        open().createStream(new StreamSpec("s", 1, Duration.ofDays(1), Map.of()));
        Path dir = shardDir(1, 0);
        List<long[]> ends = fill(store.log("s", 0), 200, dir);
        cleanClose();
        List<Path> indexes = new ArrayList<>(files(dir, ".index"));
        indexes.addAll(files(dir, ".timeindex"));
        assertThat(indexes).isNotEmpty();
        Random random = new Random(42);
        for (Path p : indexes) {
            if (garble) {
                byte[] junk = new byte[(int) Math.max(24, Files.size(p))];
                random.nextBytes(junk);
                Files.write(p, junk);
            } else {
                Files.delete(p);
            }
        }
        open();
        long end = ends.get(ends.size() - 1)[0];
        ShardLog log = store.log("s", 0);
        assertRecords(log, end);
        for (long o = 0; o < end; o += 17) {
            assertThat(log.read(o, 1, 1).get(0).offset()).isEqualTo(o);
            assertThat(log.offsetForTimestamp(T0 + o)).isEqualTo(o);
        }
        cleanClose();
        assertThat(files(dir, ".index")).hasSameSizeAs(files(dir, ".log"));
        assertThat(files(dir, ".timeindex")).hasSameSizeAs(files(dir, ".log"));
        open();
        assertRecords(store.log("s", 0), end);
    }

    @Test
    void corruptionInAnOlderSegmentTruncatesThereAndDropsLaterSegments() throws IOException {
        open().createStream(new StreamSpec("s", 1, Duration.ofDays(1), Map.of()));
        Path dir = shardDir(1, 0);
        List<long[]> ends = fill(store.log("s", 0), 200, dir);
        crash();
        List<Path> segments = files(dir, ".log");
        assertThat(segments.size()).isGreaterThan(3);
        Path victim = segments.get(1);
        long base = baseOf(victim);
        long[] firstBatch = ends.stream().filter(e -> e[2] == base).findFirst().orElseThrow();
        try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
            f.seek(firstBatch[1] + 40); // inside the second batch of the segment
            f.write(0x5A);
        }
        open();
        assertThat(store.log("s", 0).endOffset()).isEqualTo(firstBatch[0]);
        assertRecords(store.log("s", 0), firstBatch[0]);
        assertThat(files(dir, ".log")).containsExactly(segments.get(0), segments.get(1));
    }

    @Test
    void interruptedCreationAndDeletionAreCleanedUpOnOpen() throws IOException {
        open().createStream(new StreamSpec("s", 1, Duration.ofDays(1), Map.of()));
        cleanClose();
        Files.createDirectories(tmp.resolve("streams/7/shard-0"));
        Files.createDirectories(tmp.resolve("streams/3.deleting/shard-0"));
        Files.write(tmp.resolve("streams/1/stream.meta.tmp"), new byte[] {1, 2, 3});
        open();
        assertThat(store.streams()).extracting(StreamInfo::name).containsExactly("s");
        assertThat(tmp.resolve("streams/7")).doesNotExist();
        assertThat(tmp.resolve("streams/3.deleting")).doesNotExist();
        assertThat(store.createStream(new StreamSpec("t", 1, Duration.ofDays(1), Map.of())).id()).isEqualTo(2);
    }

    @Test
    void corruptStreamMetadataFailsTheOpen() throws IOException {
        open().createStream(new StreamSpec("s", 1, Duration.ofDays(1), Map.of()));
        cleanClose();
        Path meta = tmp.resolve("streams/1/stream.meta");
        byte[] bytes = Files.readAllBytes(meta);
        bytes[bytes.length - 3] ^= 0x01;
        Files.write(meta, bytes);
        assertThatThrownBy(this::open).isInstanceOf(CorruptStoreException.class)
                .hasMessage("metadata checksum mismatch in " + meta);
    }

    @Test
    void aSecondStoreCannotOpenTheSameDirectory() {
        open();
        assertThatThrownBy(() -> ShardStores.open(config())).isInstanceOf(StorageException.class)
                .hasMessage("data directory " + tmp + " is in use by another store");
    }

    @Test
    void retentionDeletesExpiredSegmentFilesButKeepsTheActiveOne() throws IOException {
        open().createStream(new StreamSpec("s", 1, Duration.ofHours(1), Map.of()));
        ShardLog log = store.log("s", 0);
        for (int i = 0; i < 300; i++) {
            log.append(List.of(rec(clock.millis(), "k", "v".repeat(40), 0)));
            clock.advance(Duration.ofSeconds(1));
        }
        Path dir = shardDir(1, 0);
        List<Path> before = files(dir, ".log");
        assertThat(before.size()).isGreaterThan(3);
        clock.advance(Duration.ofHours(1).minusSeconds(150)); // cutoff: record 150's time
        store.enforceRetention();
        assertThat(log.startOffset()).isEqualTo(150);
        List<Path> after = files(dir, ".log");
        assertThat(after).isNotEmpty().allMatch(p -> baseOf(p) <= 150 || before.contains(p));
        assertThat(baseOf(after.get(0))).isLessThanOrEqualTo(150);
        assertThat(after.size()).isLessThan(before.size());
        clock.advance(Duration.ofDays(1));
        store.enforceRetention();
        assertThat(files(dir, ".log")).containsExactly(before.get(before.size() - 1));
        assertThat(log.startOffset()).isEqualTo(300);
        cleanClose();
        open();
        assertThat(store.log("s", 0).startOffset()).isEqualTo(300);
        assertThat(store.log("s", 0).endOffset()).isEqualTo(300);
    }

    @ParameterizedTest
    @EnumSource(StoreConfig.FsyncPolicy.class)
    void everyFsyncPolicyKeepsRecordsAcrossRestart(StoreConfig.FsyncPolicy policy) throws IOException {
        store = ShardStores.open(config().withFsync(policy, Duration.ofMillis(5)));
        store.createStream(new StreamSpec("s", 2, Duration.ofDays(1), Map.of()));
        fill(store.log("s", 1), 50, shardDir(1, 1));
        store.flush();
        long end = store.log("s", 1).endOffset();
        crash();
        open();
        assertRecords(store.log("s", 1), end);
        assertThat(store.stream("s").orElseThrow().shards()).extracting(ShardInfo::keyRange)
                .containsExactlyElementsOf(KeyRange.evenSplit(2));
    }
}
