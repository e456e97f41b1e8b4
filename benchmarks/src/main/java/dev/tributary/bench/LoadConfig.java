package dev.tributary.bench;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The load tool's flags, parsed once. Every scenario is bounded twice: by a count
 * ({@code --records}, the per-writer batch budget) and by time ({@code --duration-seconds}).
 *
 * @param endpoint         the Kinesis endpoint; must resolve to a loopback address
 * @param label            the target's name in result lines (e.g. {@code tributary})
 * @param scenarios        scenario names, run in order against the same stream
 * @param client           {@code apache} (sync, default) or {@code netty} (async, joined)
 * @param stream           stream name; created with {@code shards} shards when missing
 * @param shards           shard count of a created stream
 * @param writers          writer threads
 * @param readers          reader threads for scenarios that read (0 = one per shard)
 * @param duration         wall-clock cap of each scenario
 * @param records          record cap of each write scenario (all writers together)
 * @param batchSize        records per PutRecords call (default 500; tail-latency uses 100)
 * @param recordBytes      payload size of every record
 * @param rate             records/s of all writers together in tail-latency (0 = unlimited)
 * @param warmupSeconds    unmeasured load before each write scenario, to let both JITs settle
 * @param soakBytes        bytes the soak scenario writes in total
 * @param targetPid        pid whose VmRSS the soak scenario samples (0 = none)
 */
record LoadConfig(URI endpoint, String label, List<String> scenarios, String client, String stream, int shards,
                  int writers, int readers, Duration duration, long records, int batchSize, int recordBytes,
                  int rate, int warmupSeconds, long soakBytes, long targetPid) {

    static final List<String> SCENARIOS = List.of("putrecords", "putrecord", "drain", "tail-latency", "soak");

    LoadConfig {
        scenarios = List.copyOf(scenarios);
        for (String s : scenarios) {
            if (!SCENARIOS.contains(s)) {
                throw new IllegalArgumentException("unknown scenario " + s + "; one of " + SCENARIOS);
            }
        }
        if (!client.equals("apache") && !client.equals("netty")) {
            throw new IllegalArgumentException("--client must be apache or netty");
        }
        if (writers < 1 || writers > 256 || readers < 0 || readers > 256 || shards < 1 || shards > 64) {
            throw new IllegalArgumentException("writers 1..256, readers 0..256, shards 1..64");
        }
        if (batchSize < 1 || batchSize > 500 || recordBytes < 16 || recordBytes > 1_048_576) {
            throw new IllegalArgumentException("--batch-size 1..500, --record-bytes 16..1048576");
        }
        if (duration.isNegative() || duration.isZero() || duration.toMinutes() > 24 * 60) {
            throw new IllegalArgumentException("--duration-seconds must be 1..86400");
        }
        requireLoopback(endpoint);
    }

    static final String USAGE = """
            Usage: java -jar tributary-bench.jar --endpoint http://127.0.0.1:PORT --scenario NAME[,NAME...] [options]
              --scenario          putrecords | putrecord | drain | tail-latency | soak (comma-separated, run in order)
              --label NAME        target name printed in result lines (default: target)
              --client C          apache (sync, default) | netty (async)
              --stream NAME       stream to use, created when missing (default: bench)
              --shards N          shards of a created stream (default: 4)
              --writers N         writer threads (default: 4)
              --readers N         reader threads, 0 = one per shard (default: 0)
              --duration-seconds S  time cap of each scenario (default: 20)
              --records N         record cap of each write scenario (default: 100000000)
              --batch-size N      records per PutRecords (default: 500; tail-latency default 100)
              --record-bytes N    payload bytes per record (default: 1024)
              --rate N            tail-latency: records/s of all writers together (default: 2000)
              --warmup-seconds S  unmeasured load before write scenarios (default: 3)
              --soak-bytes N      soak: bytes to write in total (default: 10737418240)
              --target-pid PID    the target server's pid: its CPU time per record; soak samples its VmRSS
            Only loopback endpoints are accepted. Set -Daws.cborEnabled=false to use JSON instead of CBOR.
            """;

    static LoadConfig parse(String[] args) {
        URI endpoint = null;
        String label = "target";
        List<String> scenarios = new ArrayList<>();
        String client = "apache";
        String stream = "bench";
        int shards = 4;
        int writers = 4;
        int readers = 0;
        long durationSeconds = 20;
        long records = 100_000_000L;
        Integer batchSize = null;
        int recordBytes = 1024;
        int rate = 2000;
        int warmup = 3;
        long soakBytes = 10L << 30;
        long targetPid = 0;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("flag " + flag + " needs a value");
            }
            String v = args[++i];
            switch (flag) {
                case "--endpoint" -> endpoint = URI.create(v);
                case "--label" -> label = v;
                case "--scenario" -> {
                    for (String s : v.split(",")) {
                        scenarios.add(s.trim().toLowerCase(Locale.ROOT));
                    }
                }
                case "--client" -> client = v;
                case "--stream" -> stream = v;
                case "--shards" -> shards = Integer.parseInt(v);
                case "--writers" -> writers = Integer.parseInt(v);
                case "--readers" -> readers = Integer.parseInt(v);
                case "--duration-seconds" -> durationSeconds = Long.parseLong(v);
                case "--records" -> records = Long.parseLong(v);
                case "--batch-size" -> batchSize = Integer.parseInt(v);
                case "--record-bytes" -> recordBytes = Integer.parseInt(v);
                case "--rate" -> rate = Integer.parseInt(v);
                case "--warmup-seconds" -> warmup = Integer.parseInt(v);
                case "--soak-bytes" -> soakBytes = Long.parseLong(v);
                case "--target-pid" -> targetPid = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (endpoint == null || scenarios.isEmpty()) {
            throw new IllegalArgumentException("--endpoint and --scenario are required");
        }
        int batch = batchSize != null ? batchSize : 500;
        return new LoadConfig(endpoint, label, scenarios, client, stream, shards, writers, readers,
                Duration.ofSeconds(durationSeconds), records, batch, recordBytes, rate, warmup, soakBytes, targetPid);
    }

    /** The batch size of tail-latency: 100 unless set explicitly below 500. */
    int tailBatchSize() {
        return batchSize == 500 ? 100 : batchSize;
    }

    int effectiveReaders() {
        return readers == 0 ? shards : readers;
    }

    private static void requireLoopback(URI endpoint) {
        if (endpoint.getHost() == null) {
            throw new IllegalArgumentException("--endpoint needs a host: " + endpoint);
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(endpoint.getHost())) {
                if (!a.isLoopbackAddress()) {
                    throw new IllegalArgumentException("refusing non-loopback endpoint " + endpoint
                            + " (" + a.getHostAddress() + "): this tool only loads local emulators");
                }
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve " + endpoint.getHost(), e);
        }
    }
}
