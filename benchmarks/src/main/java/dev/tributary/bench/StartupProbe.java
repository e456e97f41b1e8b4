package dev.tributary.bench;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Start-up time to ready: starts a server command, polls a URL every 5 ms until it answers, and
 * prints one {@code STARTUP} line with the median, min and max over the repeats and the RSS
 * right after ready. {@code --status 200} waits for HTTP 200 (Tributary's health endpoint);
 * {@code --status any} for any HTTP answer (the port is serving). A {@code {tmp}} in the command
 * becomes a fresh empty directory on each repeat. The process is stopped (SIGTERM, then SIGKILL)
 * after each repeat.
 * <pre>
 * java -cp tributary-bench.jar dev.tributary.bench.StartupProbe --label tributary --repeat 5 \
 *   --url http://127.0.0.1:4570/_tributary/health --status 200 -- \
 *   java -jar tributary.jar --port 4570 --data-dir {tmp}
 * </pre>
 */
public final class StartupProbe {
    private static final long POLL_NANOS = 5_000_000L;
    private static final long TIMEOUT_NANOS = 30_000_000_000L;

    private StartupProbe() {
    }

    public static void main(String[] args) throws Exception {
        String label = "target";
        int repeat = 5;
        String url = null;
        String status = "200";
        int i = 0;
        for (; i < args.length && !args[i].equals("--"); i += 2) {
            switch (args[i]) {
                case "--label" -> label = args[i + 1];
                case "--repeat" -> repeat = Integer.parseInt(args[i + 1]);
                case "--url" -> url = args[i + 1];
                case "--status" -> status = args[i + 1];
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        List<String> command = Arrays.asList(args).subList(Math.min(i + 1, args.length), args.length);
        if (url == null || command.isEmpty() || repeat < 1 || repeat > 50) {
            System.err.println("usage: StartupProbe --label L --repeat N --url URL --status 200|any -- command...");
            System.exit(2);
        }
        URI uri = URI.create(url);
        if (!InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
            throw new IllegalArgumentException("loopback URLs only");
        }
        long[] millis = new long[repeat];
        long[] rss = new long[repeat];
        for (int r = 0; r < repeat; r++) {
            Path tmp = Files.createTempDirectory("startup-probe");
            List<String> cmd = new ArrayList<>();
            for (String part : command) {
                cmd.add(part.replace("{tmp}", tmp.toString()));
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(new File(tmp.toFile().getParentFile(), "startup-probe-" + label + ".log"));
            long t0 = System.nanoTime();
            Process p = pb.start();
            try {
                long ready = waitReady(uri, status, p, t0);
                millis[r] = ready < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(ready - t0);
                rss[r] = ProcessStats.rssKib(p.pid());
                System.err.printf(Locale.ROOT, "startup %s run %d: %d ms, rss %d MiB%n", label, r + 1, millis[r],
                        rss[r] / 1024);
            } finally {
                stop(p);
                deleteTree(tmp);
            }
            if (millis[r] < 0) {
                System.out.println("STARTUP target=" + label + " error=not_ready_within_30s");
                System.exit(1);
            }
        }
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        long[] rssSorted = rss.clone();
        Arrays.sort(rssSorted);
        System.out.printf(Locale.ROOT, "STARTUP target=%s repeats=%d median_ms=%d min_ms=%d max_ms=%d "
                        + "rss_ready_mib=%d all_ms=%s%n", label, repeat, sorted[repeat / 2], sorted[0],
                sorted[repeat - 1], rssSorted[repeat / 2] / 1024, Arrays.toString(millis).replace(" ", ""));
    }

    /** The nanoTime the URL first answered as wanted, or -1 on timeout or early exit. */
    private static long waitReady(URI uri, String status, Process p, long t0) throws InterruptedException {
        while (System.nanoTime() - t0 < TIMEOUT_NANOS) {
            if (!p.isAlive()) {
                return -1;
            }
            try {
                HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
                c.setConnectTimeout(200);
                c.setReadTimeout(1000);
                int code = c.getResponseCode();
                c.disconnect();
                if (status.equals("any") || code == Integer.parseInt(status)) {
                    return System.nanoTime();
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(POLL_NANOS / 1_000_000);
        }
        return -1;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
