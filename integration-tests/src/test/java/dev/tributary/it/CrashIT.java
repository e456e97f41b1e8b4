package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * The claim of {@code --fsync never}: every acknowledged record is in the OS page cache before
 * the ack, so SIGKILL loses none. The runnable jar runs as a child JVM; four writers ack records
 * as fast as they can; the child is killed mid-write, restarted on the same data directory, and
 * every acknowledged record must be there exactly once, in order per shard. Twenty rounds by
 * default ({@code -Dcrash.rounds}), each killed after a seeded random number of acks
 * ({@code -Dcrash.seed}), so the kills land at different points of the write path.
 */
class CrashIT {
    private static final String STREAM = "crash";
    private static final int SHARDS = 4;
    private static final int WRITERS = 4;
    private static final int ROUNDS = Integer.getInteger("crash.rounds", 20);
    private static final long SEED = Long.getLong("crash.seed", 42L);
    private final java.util.Random random = new java.util.Random(SEED);
    /** Acks before this round's kill: seeded random, 500 to 4,999. */
    private int acksPerRound;
    private static final int BATCH = 50;

    @TempDir
    Path dir;

    private Process child;

    /** An acknowledged record: where the server said it is, and what it holds. */
    private record Ack(String shardId, String sequenceNumber, String data) {
    }

    @AfterEach
    void stopChild() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroy();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor();
            }
        }
    }

    /** Replication factor of the run: 1 (one node) or 3 (three nodes, every shard on all three). */
    private int replicas = 1;

    @ParameterizedTest(name = "replication factor {0}")
    @ValueSource(ints = {1, 3})
    void killedServerKeepsEveryAcknowledgedRecordExactlyOnce(int replicationFactor) throws Exception {
        this.replicas = replicationFactor;
        String jarProperty = System.getProperty("tributary.jar");
        Assumptions.assumeTrue(jarProperty != null && Files.isRegularFile(Path.of(jarProperty)),
                "tributary.jar not built: " + jarProperty);
        Path jar = Path.of(jarProperty);
        Path data = Files.createDirectories(dir.resolve("data"));

        List<Ack> acked = new ArrayList<>();
        Map<String, BigInteger> lastSeenPerShard = new HashMap<>();
        int port = start(jar, data, 0);
        try (KinesisClient kinesis = client(port)) {
            kinesis.createStream(b -> b.streamName(STREAM).shardCount(SHARDS));
        }
        for (int round = 1; round <= ROUNDS; round++) {
            acksPerRound = 500 + random.nextInt(4_500);
            List<Ack> thisRound;
            try (KinesisClient kinesis = client(port)) {
                thisRound = writeUntilKilled(kinesis, round);
            }
            assertThat(thisRound.size()).isGreaterThanOrEqualTo(acksPerRound);
            // Numbering continues above everything the shard held before this round.
            for (Ack a : thisRound) {
                BigInteger floor = lastSeenPerShard.get(a.shardId());
                if (floor != null) {
                    assertThat(new BigInteger(a.sequenceNumber())).as("round %d, %s", round, a.shardId()).isGreaterThan(floor);
                }
            }
            acked.addAll(thisRound);

            port = start(jar, data, round);
            try (KinesisClient kinesis = client(port)) {
                verify(kinesis, acked, lastSeenPerShard, round);
            }
        }
        System.out.println("CrashIT: replication factor " + replicas + ", " + ROUNDS + " SIGKILLs (seed " + SEED
                + "), " + acked.size()
                + " acknowledged records checked present exactly once and in order");
    }

    /** Four writers until {@code acksPerRound} acks, then SIGKILL while they are still writing. */
    private List<Ack> writeUntilKilled(KinesisClient kinesis, int round) throws InterruptedException {
        Queue<Ack> acks = new ConcurrentLinkedQueue<>();
        AtomicInteger count = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        CountDownLatch enough = new CountDownLatch(1);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Thread t = new Thread(() -> {
                int n = 0;
                int calls = 0;
                try {
                    while (true) {
                        if (calls++ % 10 == 9) {
                            String data = payload(round, writer, n);
                            int key = n;
                            PutRecordResponse ack = kinesis.putRecord(b -> b.streamName(STREAM)
                                    .partitionKey("w" + writer + "-" + key).data(SdkBytes.fromUtf8String(data)));
                            acks.add(new Ack(ack.shardId(), ack.sequenceNumber(), data));
                            n++;
                            if (count.incrementAndGet() >= acksPerRound) {
                                enough.countDown();
                            }
                            continue;
                        }
                        List<PutRecordsRequestEntry> entries = new ArrayList<>(BATCH);
                        List<String> datas = new ArrayList<>(BATCH);
                        for (int i = 0; i < BATCH; i++) {
                            String data = payload(round, writer, n + i);
                            datas.add(data);
                            entries.add(PutRecordsRequestEntry.builder().partitionKey("w" + writer + "-" + (n + i))
                                    .data(SdkBytes.fromUtf8String(data)).build());
                        }
                        n += BATCH;
                        List<PutRecordsResultEntry> results = kinesis.putRecords(b -> b.streamName(STREAM)
                                .records(entries)).records();
                        for (int i = 0; i < results.size(); i++) {
                            PutRecordsResultEntry r = results.get(i);
                            if (r.errorCode() == null) {
                                acks.add(new Ack(r.shardId(), r.sequenceNumber(), datas.get(i)));
                                if (count.incrementAndGet() >= acksPerRound) {
                                    enough.countDown();
                                }
                            }
                        }
                    }
                } catch (SdkException e) {
                    if (!killed.get()) {
                        failures.add(e);
                        enough.countDown();
                    }
                } catch (RuntimeException | Error e) {
                    failures.add(e);
                    enough.countDown();
                }
            }, "crash-writer-" + w);
            writers.add(t);
            t.start();
        }
        assertThat(enough.await(120, TimeUnit.SECONDS)).as("acks within 120 s").isTrue();
        killed.set(true);
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (Thread t : writers) {
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(t.isAlive()).as("%s stopped", t.getName()).isFalse();
        }
        assertThat(failures).as("writer failures before the kill").isEmpty();
        return new ArrayList<>(acks);
    }

    /** Reads every shard from TRIM_HORIZON and checks all acknowledged records are there once, in order. */
    private static void verify(KinesisClient kinesis, List<Ack> acked, Map<String, BigInteger> lastSeenPerShard, int round) {
        List<Shard> shards = kinesis.listShards(b -> b.streamName(STREAM)).shards();
        assertThat(shards).hasSize(SHARDS);
        Map<String, Map<String, String>> logBySequence = new HashMap<>();
        Map<String, Map<String, Integer>> positionBySequence = new HashMap<>();
        Set<String> allData = new HashSet<>();
        for (Shard s : shards) {
            List<Record> records = Kit.readAll(kinesis, STREAM, s.shardId());
            Map<String, String> bySeq = new HashMap<>();
            Map<String, Integer> positions = new HashMap<>();
            BigInteger previous = BigInteger.valueOf(-1);
            for (int i = 0; i < records.size(); i++) {
                Record r = records.get(i);
                BigInteger seq = new BigInteger(r.sequenceNumber());
                assertThat(seq).as("round %d, %s: increasing sequence numbers", round, s.shardId()).isGreaterThan(previous);
                previous = seq;
                String data = r.data().asUtf8String();
                assertThat(data).as("only what the writers wrote").startsWith("r");
                assertThat(allData.add(data)).as("round %d: no duplicate of %s", round, data).isTrue();
                bySeq.put(r.sequenceNumber(), data);
                positions.put(r.sequenceNumber(), i);
            }
            logBySequence.put(s.shardId(), bySeq);
            positionBySequence.put(s.shardId(), positions);
            if (!records.isEmpty()) {
                lastSeenPerShard.put(s.shardId(), previous);
            }
        }
        Map<String, Integer> lastPosition = new HashMap<>();
        List<Ack> sorted = new ArrayList<>(acked);
        sorted.sort((a, b) -> new BigInteger(a.sequenceNumber()).compareTo(new BigInteger(b.sequenceNumber())));
        for (Ack a : sorted) {
            String data = logBySequence.get(a.shardId()).get(a.sequenceNumber());
            if (data == null) {
                fail("round %d: acknowledged record lost: %s %s %s", round, a.shardId(), a.sequenceNumber(), a.data());
            }
            assertThat(data).isEqualTo(a.data());
            int position = positionBySequence.get(a.shardId()).get(a.sequenceNumber());
            Integer last = lastPosition.put(a.shardId(), position);
            assertThat(last == null || last < position).as("acknowledged order kept in %s", a.shardId()).isTrue();
        }
        int logged = logBySequence.values().stream().mapToInt(Map::size).sum();
        System.out.printf("CrashIT round %d: %d acknowledged, %d in the log (%d written but unacknowledged)%n",
                round, acked.size(), logged, logged - acked.size());
        assertThat(logged).isGreaterThanOrEqualTo(acked.size());
    }

    private static String payload(int round, int writer, int n) {
        return "r" + round + "-w" + writer + "-" + n + "-" + "x".repeat(64);
    }

    private KinesisClient client(int port) {
        return Clients.open(new Clients.Kind(Clients.Transport.APACHE, true), URI.create("http://127.0.0.1:" + port), false);
    }

    /** Starts the jar on a free port and waits (at most 30 s) for its health endpoint; returns the port. */
    private int start(Path jar, Path data, int generation) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = dir.resolve("child-" + generation + ".log");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx512m", "-jar", jar.toString(), "--port",
                Integer.toString(port), "--data-dir", data.toString(), "--fsync", "never", "--create-stream-delay", "0",
                "--delete-stream-delay", "0", "--update-stream-delay", "0"));
        if (replicas > 1) {
            command.addAll(List.of("--nodes", "3", "--replication-factor", "3", "--min-insync-replicas", "2"));
        }
        child = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_tributary/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                fail("the server exited with %d:%n%s", child.exitValue(), Files.readString(log));
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return port;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(25);
        }
        fail("the server was not healthy within 30 s:%n%s", Files.readString(log));
        return -1;
    }
}
