package dev.tributary.bench;

import dev.tributary.firehose.DeliveryEngine;
import dev.tributary.firehose.DeliverySpec;
import dev.tributary.firehose.processing.Processing;
import dev.tributary.firehose.s3.Compression;
import dev.tributary.firehose.s3.FileSink;
import dev.tributary.store.ShardStores;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StoreConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Throughput of Firehose delivery to GZIP files, without HTTP: records are accepted into a
 * delivery stream's buffer log (the store, default fsync policy) in batches of 500, and the
 * engine delivers them as GZIP objects of {@code sizeMb} MiB (before compression) with a
 * newline appended to each (AppendDelimiterToRecord), each object fsynced before its rename. Records
 * are ~1 KiB JSON lines with a base64 random payload (compressible as real JSON is, not
 * trivially). Reports records/s and MB/s of record bytes from the first put to the last object
 * written, and the bytes written to disk. Usage:
 * {@code FirehoseThroughput <dir> [records] [sizeMb] [repetitions] [compression]} (GZIP by default;
 * UNCOMPRESSED shows the engine without the compressor).
 */
public final class FirehoseThroughput {
    private static final String BUF = "firehose/000000000000/us-east-1/bench";

    private FirehoseThroughput() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/firehose-bench");
        long records = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;
        int sizeMb = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int repetitions = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Compression compression = Compression.ofAwsName(args.length > 4 ? args[4] : "GZIP");
        Random random = new Random(7);
        byte[][] pool = new byte[1000][];
        for (int i = 0; i < pool.length; i++) {
            byte[] payload = new byte[720];
            random.nextBytes(payload);
            pool[i] = ("{\"id\":" + i + ",\"user\":\"u" + random.nextInt(10_000) + "\",\"payload\":\""
                    + Base64.getEncoder().encodeToString(payload) + "\"}").getBytes(StandardCharsets.UTF_8);
        }
        run(dir, pool, Math.min(records, 200_000L), sizeMb, compression, "warm-up");
        for (int r = 1; r <= repetitions; r++) {
            run(dir, pool, records, sizeMb, compression, "run " + r);
        }
    }

    private static void run(Path dir, byte[][] pool, long records, int sizeMb, Compression compression, String label)
            throws IOException {
        delete(dir);
        Files.createDirectories(dir);
        Clock clock = Clock.systemUTC();
        long inputBytes = 0;
        int objects = 0;
        long start;
        long end;
        try (ShardStore store = ShardStores.open(StoreConfig.defaults(dir.resolve("store")).withClock(clock));
             DeliveryEngine engine = new DeliveryEngine(store, clock, new FileSink(dir.resolve("s3")))) {
            engine.create(BUF, java.util.Map.of(), null);
            engine.deliver(BUF, new DeliverySpec("bench", 1, "bucket", null, null, (long) sizeMb * 1024 * 1024,
                    Duration.ofSeconds(900), compression, null, ZoneOffset.UTC,
                    new Processing(false, null, null, null, new byte[] {'\n'})), null);
            start = System.nanoTime();
            List<byte[]> batch = new ArrayList<>(500);
            for (long i = 0; i < records; i++) {
                byte[] r = pool[(int) (i % pool.length)];
                batch.add(r);
                inputBytes += r.length;
                if (batch.size() == 500) {
                    engine.put(BUF, batch);
                    batch = new ArrayList<>(500);
                    if (i % 20_000 == 0) {
                        objects += engine.tick();
                    }
                }
            }
            if (!batch.isEmpty()) {
                engine.put(BUF, batch);
            }
            objects += engine.tick();
            objects += engine.flush(BUF);
            end = System.nanoTime();
        }
        long written;
        try (Stream<Path> s = Files.walk(dir.resolve("s3"))) {
            written = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        double seconds = (end - start) / 1e9;
        System.out.printf("%s: %d records, %.1f MB in, %d objects, %.1f MB written, %.2f s: %.0f records/s, "
                        + "%.1f MB/s in, %.1f MB/s written%n", label, records, inputBytes / 1e6, objects, written / 1e6,
                seconds, records / seconds, inputBytes / 1e6 / seconds, written / 1e6 / seconds);
        delete(dir);
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
