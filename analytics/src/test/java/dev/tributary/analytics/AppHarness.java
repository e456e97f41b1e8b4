package dev.tributary.analytics;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test helper: compiles an application, records every row of every in-application stream. */
final class AppHarness {
    static final String SOURCE = "SOURCE_SQL_STREAM_001";
    static final InputSchema DEMO = new InputSchema(RecordFormat.json("$"), List.of(
            new RecordColumn("TICKER_SYMBOL", "VARCHAR(4)", "$.TICKER_SYMBOL"),
            new RecordColumn("SECTOR", "VARCHAR(16)", "$.SECTOR"),
            new RecordColumn("CHANGE", "REAL", "$.CHANGE"),
            new RecordColumn("PRICE", "REAL", "$.PRICE")));
    /** 2018-05-09 11:00:00 UTC, the day of KDA's stagger-window example. */
    static final LocalDateTime DAY = LocalDateTime.of(2018, 5, 9, 0, 0);

    final Application app;
    final Map<String, List<Row>> rows = new HashMap<>();

    AppHarness(String code, InputSchema schema) {
        this(code, schema, Map.of());
    }

    AppHarness(String code, InputSchema schema, Map<String, ReferenceTable> refs) {
        app = Application.compile(code, Map.of(SOURCE, schema), refs);
        for (String s : app.streamNames()) {
            List<Row> list = new ArrayList<>();
            rows.put(s, list);
            app.listen(s, list::add);
        }
    }

    static long at(String hhmmss) {
        return SqlTimestamp.of(DAY.plusSeconds(java.time.LocalTime.parse(hhmmss).toSecondOfDay())).millis();
    }

    static SqlTimestamp ts(String hhmmss) {
        return new SqlTimestamp(at(hhmmss));
    }

    void json(String json, long rowtime) {
        app.pushRecord(SOURCE, json.getBytes(StandardCharsets.UTF_8), rowtime, rowtime);
    }

    void demo(String ticker, String sector, double change, double price, long rowtime) {
        json("{\"TICKER_SYMBOL\":\"" + ticker + "\",\"SECTOR\":\"" + sector + "\",\"CHANGE\":" + change
                + ",\"PRICE\":" + price + "}", rowtime);
    }

    List<Row> out(String stream) {
        return rows.get(stream);
    }

    List<List<Object>> values(String stream) {
        return rows.get(stream).stream().map(r -> Arrays.asList(r.values())).toList();
    }

    static Row row(long rowtime, Object... values) {
        return new Row(rowtime, values);
    }
}
