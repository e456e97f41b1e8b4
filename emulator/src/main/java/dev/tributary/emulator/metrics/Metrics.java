package dev.tributary.emulator.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The emulator's Prometheus metrics, rendered by hand in the text exposition format 0.0.4 for
 * {@code GET /_tributary/metrics} (documented in docs/test-control.md). Families, always in this
 * order:
 * <ul>
 *   <li>{@code tributary_requests_total{service,operation,status}}: answered requests;</li>
 *   <li>{@code tributary_request_errors_total{service,operation,error}}: of those, the ones that
 *       were AWS errors, by error name;</li>
 *   <li>{@code tributary_request_duration_seconds{service,operation}}: a histogram of the time to
 *       answer, over {@link #BUCKETS};</li>
 *   <li>{@code tributary_records_in_total}, {@code tributary_bytes_in_total},
 *       {@code tributary_records_out_total}, {@code tributary_bytes_out_total} (each by
 *       {@code stream}): data records accepted by PutRecord/PutRecords and delivered by
 *       GetRecords/SubscribeToShard, and their data bytes (partition keys not counted);</li>
 *   <li>then each gauge in the order it was {@linkplain #gauge registered}, read when scraped.</li>
 * </ul>
 * Series within a family are sorted by their label values, so the output is deterministic.
 *
 * <p>Thread-safe: every count is a {@link LongAdder} in a {@link ConcurrentHashMap}, so recording
 * never blocks; a scrape concurrent with recording may see a request counted in one family and not
 * yet in another.
 */
public final class Metrics {
    /** What {@code GET /_tributary/metrics} answers with. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** The histogram's upper bounds in seconds (the implicit last one is +Inf). */
    static final double[] BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1};
    private static final String[] BUCKET_LABELS = {"0.001", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5",
            "1", "+Inf"};
    private static final long[] BUCKET_NANOS = Arrays.stream(BUCKETS).mapToLong(s -> Math.round(s * 1e9)).toArray();

    /** A label-value tuple; the family says which label names go with it. */
    private record Labels(List<String> values) implements Comparable<Labels> {
        static Labels of(String... values) {
            return new Labels(List.of(values));
        }

        @Override
        public int compareTo(Labels o) {
            for (int i = 0; i < values.size(); i++) {
                int c = values.get(i).compareTo(o.values.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        }
    }

    /** A histogram's per-bucket (not cumulative) counts, the last for +Inf, and its sum. */
    private static final class Histogram {
        final LongAdder[] buckets = new LongAdder[BUCKETS.length + 1];
        final LongAdder sumNanos = new LongAdder();

        Histogram() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void observe(long nanos) {
            int i = 0;
            while (i < BUCKET_NANOS.length && nanos > BUCKET_NANOS[i]) {
                i++;
            }
            buckets[i].increment();
            sumNanos.add(Math.max(0, nanos));
        }
    }

    private record Gauge(String name, String help, LongSupplier value) {
    }

    private final Map<Labels, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<Labels, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<Labels, Histogram> durations = new ConcurrentHashMap<>();
    private final Map<Labels, LongAdder> recordsIn = new ConcurrentHashMap<>();
    private final Map<Labels, LongAdder> bytesIn = new ConcurrentHashMap<>();
    private final Map<Labels, LongAdder> recordsOut = new ConcurrentHashMap<>();
    private final Map<Labels, LongAdder> bytesOut = new ConcurrentHashMap<>();
    private final List<Gauge> gauges = new CopyOnWriteArrayList<>();

    /**
     * Counts one answered request and its time to answer.
     *
     * @param error the AWS error name when the answer was an error, else null
     */
    public void request(String service, String operation, int status, String error, long nanos) {
        requests.computeIfAbsent(Labels.of(service, operation, Integer.toString(status)), k -> new LongAdder())
                .increment();
        if (error != null) {
            errors.computeIfAbsent(Labels.of(service, operation, error), k -> new LongAdder()).increment();
        }
        durations.computeIfAbsent(Labels.of(service, operation), k -> new Histogram()).observe(nanos);
    }

    /** Counts records accepted into a stream and their data bytes. */
    public void recordsIn(String stream, long records, long bytes) {
        add(recordsIn, bytesIn, stream, records, bytes);
    }

    /** Counts records delivered from a stream to a reader and their data bytes. */
    public void recordsOut(String stream, long records, long bytes) {
        add(recordsOut, bytesOut, stream, records, bytes);
    }

    private static void add(Map<Labels, LongAdder> records, Map<Labels, LongAdder> bytes, String stream, long n,
                            long size) {
        if (n == 0) {
            return;
        }
        Labels labels = Labels.of(stream);
        records.computeIfAbsent(labels, k -> new LongAdder()).add(n);
        bytes.computeIfAbsent(labels, k -> new LongAdder()).add(size);
    }

    /**
     * Adds a gauge read at every scrape. {@code value} must be cheap and thread-safe.
     *
     * @param name a metric name ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}), not yet registered
     */
    public void gauge(String name, String help, LongSupplier value) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("invalid metric name " + name);
        }
        synchronized (gauges) {
            if (gauges.stream().anyMatch(g -> g.name().equals(name))) {
                throw new IllegalArgumentException("gauge " + name + " is already registered");
            }
            gauges.add(new Gauge(name, help, value));
        }
    }

    /** Every metric in the text exposition format 0.0.4. Cost: linear in the number of series. */
    public String scrape() {
        StringBuilder out = new StringBuilder(4096);
        counter(out, "tributary_requests_total", "Requests answered, by service, operation and HTTP status.",
                new String[] {"service", "operation", "status"}, requests);
        counter(out, "tributary_request_errors_total",
                "Requests answered with an AWS error, by service, operation and error name.",
                new String[] {"service", "operation", "error"}, errors);
        histogram(out);
        String[] stream = {"stream"};
        counter(out, "tributary_records_in_total", "Records accepted by PutRecord and PutRecords.", stream, recordsIn);
        counter(out, "tributary_bytes_in_total", "Data bytes of the records accepted by PutRecord and PutRecords.",
                stream, bytesIn);
        counter(out, "tributary_records_out_total", "Records delivered by GetRecords and SubscribeToShard.", stream,
                recordsOut);
        counter(out, "tributary_bytes_out_total", "Data bytes of the records delivered by GetRecords and "
                + "SubscribeToShard.", stream, bytesOut);
        for (Gauge g : gauges) {
            header(out, g.name(), g.help(), "gauge");
            out.append(g.name()).append(' ').append(g.value().getAsLong()).append('\n');
        }
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, String[] labelNames,
                                Map<Labels, LongAdder> series) {
        header(out, name, help, "counter");
        for (Labels l : sorted(series)) {
            sample(out, name, labelNames, l, null, Long.toString(series.get(l).sum()));
        }
    }

    private void histogram(StringBuilder out) {
        String name = "tributary_request_duration_seconds";
        header(out, name, "Time to answer a request, by service and operation.", "histogram");
        String[] labelNames = {"service", "operation"};
        for (Labels l : sorted(durations)) {
            Histogram h = durations.get(l);
            long cumulative = 0;
            for (int i = 0; i < h.buckets.length; i++) {
                cumulative += h.buckets[i].sum();
                sample(out, name + "_bucket", labelNames, l, BUCKET_LABELS[i], Long.toString(cumulative));
            }
            sample(out, name + "_sum", labelNames, l, null, Double.toString(h.sumNanos.sum() / 1e9));
            // The +Inf bucket's value, so that count and buckets agree within one scrape.
            sample(out, name + "_count", labelNames, l, null, Long.toString(cumulative));
        }
    }

    private static <V> List<Labels> sorted(Map<Labels, V> series) {
        List<Labels> keys = new ArrayList<>(series.keySet());
        keys.sort(null);
        return keys;
    }

    private static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String[] labelNames, Labels labels, String le,
                               String value) {
        out.append(name).append('{');
        for (int i = 0; i < labelNames.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(labelNames[i]).append("=\"");
            escape(out, labels.values().get(i));
            out.append('"');
        }
        if (le != null) {
            out.append(",le=\"").append(le).append('"');
        }
        out.append("} ").append(value).append('\n');
    }

    /** Label values escape backslash, double quote and line feed, as the format requires. */
    private static void escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }
}
