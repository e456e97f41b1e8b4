package dev.tributary.bench;

import dev.tributary.analytics.Application;
import dev.tributary.analytics.InputSchema;
import dev.tributary.analytics.RecordColumn;
import dev.tributary.analytics.RecordFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Throughput of the analytics engine on one thread: a 1 s tumbling COUNT/MIN/MAX by ticker over
 * JSON records (5 tickers, 10,000 rows per simulated second), the probe of the research notes.
 * Each row is decoded from JSON bytes. Usage: {@code AnalyticsThroughput [rows] [repetitions]}.
 */
public final class AnalyticsThroughput {
    private static final String CODE = """
            CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(4), n BIGINT, lo REAL, hi REAL);
            CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
              SELECT STREAM TICKER, COUNT(*), MIN(PRICE), MAX(PRICE)
              FROM "SOURCE_SQL_STREAM_001"
              GROUP BY TICKER, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '1' SECOND);
            """;

    private AnalyticsThroughput() {
    }

    public static void main(String[] args) {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        InputSchema schema = new InputSchema(RecordFormat.json("$"), List.of(
                new RecordColumn("TICKER", "VARCHAR(4)", "$.ticker"), new RecordColumn("PRICE", "REAL", "$.price")));
        byte[][] records = new byte[1000][];
        for (int i = 0; i < records.length; i++) {
            records[i] = ("{\"ticker\":\"T" + (i % 5) + "\",\"price\":" + (i % 100) + ".5}").getBytes(StandardCharsets.UTF_8);
        }
        run(schema, records, Math.min(rows, 1_000_000L), "warm-up");
        for (int r = 1; r <= repetitions; r++) {
            run(schema, records, rows, "run " + r);
        }
    }

    private static void run(InputSchema schema, byte[][] records, long rows, String label) {
        Application app = Application.compile(CODE, Map.of("SOURCE_SQL_STREAM_001", schema), Map.of());
        long[] out = new long[2];
        app.listen("DESTINATION_SQL_STREAM", row -> {
            out[0]++;
            out[1] += (Long) row.get(1);
        });
        long base = 1_700_000_000_000L;
        long start = System.nanoTime();
        for (long i = 0; i < rows; i++) {
            long t = base + i / 10; // 10,000 rows per simulated second
            app.pushRecord("SOURCE_SQL_STREAM_001", records[(int) (i % records.length)], t, t);
        }
        app.advanceTime(base + rows / 10 + 1000);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (out[1] != rows) {
            throw new IllegalStateException("counted " + out[1] + " of " + rows + " rows");
        }
        System.out.printf("%s: %,d JSON rows in %.2f s = %,.0f rows/s (%,d output rows)%n", label, rows, seconds, rows / seconds, out[0]);
    }
}
