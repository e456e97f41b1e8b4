package dev.tributary.bench;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * One scenario's outcome, printed as a single {@code RESULT key=value ...} line that
 * {@code run.sh} turns into a Markdown table.
 *
 * @param latencyKind what the latency columns measure: {@code call} (one API call) or
 *                    {@code put-to-get} (send timestamp to the reader seeing the record)
 */
record Result(String label, String scenario, String client, int writers, int readers, long records, long bytes,
              double seconds, long calls, long errors, long failedRecords, String latencyKind, Histogram latency,
              String note, double[] cpu) {

    /** Without CPU figures. */
    Result(String label, String scenario, String client, int writers, int readers, long records, long bytes,
           double seconds, long calls, long errors, long failedRecords, String latencyKind, Histogram latency,
           String note) {
        this(label, scenario, client, writers, readers, records, bytes, seconds, calls, errors, failedRecords,
                latencyKind, latency, note, null);
    }

    Result withCpu(double[] clientAndTarget) {
        return new Result(label, scenario, client, writers, readers, records, bytes, seconds, calls, errors,
                failedRecords, latencyKind, latency, note, clientAndTarget);
    }

    double recordsPerSecond() {
        return seconds > 0 ? records / seconds : 0;
    }

    double megabytesPerSecond() {
        return seconds > 0 ? bytes / seconds / (1024.0 * 1024.0) : 0;
    }

    String line() {
        StringBuilder b = new StringBuilder("RESULT");
        kv(b, "target", label);
        kv(b, "scenario", scenario);
        kv(b, "client", client);
        kv(b, "protocol", protocol());
        kv(b, "writers", writers);
        kv(b, "readers", readers);
        kv(b, "records", records);
        kv(b, "seconds", fmt(seconds, 2));
        kv(b, "records_per_s", fmt(recordsPerSecond(), 0));
        kv(b, "mib_per_s", fmt(megabytesPerSecond(), 2));
        kv(b, "calls", calls);
        kv(b, "errors", errors);
        kv(b, "failed_records", failedRecords);
        kv(b, "latency", latencyKind);
        if (latency != null && latency.getTotalCount() > 0) {
            kv(b, "p50_ms", fmt(latency.getValueAtPercentile(50) / 1000.0, 2));
            kv(b, "p99_ms", fmt(latency.getValueAtPercentile(99) / 1000.0, 2));
            kv(b, "max_ms", fmt(latency.getMaxValue() / 1000.0, 2));
            kv(b, "samples", latency.getTotalCount());
        } else {
            kv(b, "p50_ms", "-");
            kv(b, "p99_ms", "-");
            kv(b, "max_ms", "-");
            kv(b, "samples", 0);
        }
        if (cpu != null) {
            // CPU per record is the contention-proof figure: on a shared machine records/s moves
            // with other load, the CPU each record costs much less.
            kv(b, "client_cpu_s", fmt(cpu[0], 2));
            kv(b, "client_cpu_us_per_record", records > 0 ? fmt(cpu[0] * 1e6 / records, 1) : "-");
            kv(b, "target_cpu_s", cpu[1] < 0 ? "-" : fmt(cpu[1], 2));
            kv(b, "target_cpu_us_per_record", cpu[1] < 0 || records == 0 ? "-" : fmt(cpu[1] * 1e6 / records, 1));
        }
        if (note != null && !note.isEmpty()) {
            kv(b, "note", note.replace(' ', '_'));
        }
        return b.toString();
    }

    /** The SDK's wire format: CBOR unless {@code -Daws.cborEnabled=false} or {@code AWS_CBOR_ENABLED=false}. */
    static String protocol() {
        String p = System.getProperty("aws.cborEnabled", System.getenv().getOrDefault("AWS_CBOR_ENABLED", "true"));
        return Boolean.parseBoolean(p) ? "cbor" : "json";
    }

    private static void kv(StringBuilder b, String k, Object v) {
        b.append(' ').append(k).append('=').append(v);
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
