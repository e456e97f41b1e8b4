package dev.tributary.analytics;

import static dev.tributary.analytics.AppHarness.at;
import static dev.tributary.analytics.AppHarness.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.analytics.sql.SqlException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineBehaviourTest {
    private static final String OUT = """
            CREATE OR REPLACE STREAM "OUT" (a VARCHAR(8), b DOUBLE);
            """;

    @Test
    void syntaxErrorsCarryLineAndColumn() {
        assertThatThrownBy(() -> new AppHarness(OUT + "CREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"OUT\"\n SELECT STREAM FROM x;",
                AppHarness.DEMO))
                .isInstanceOf(SqlException.class)
                .hasMessage("SQL error at line 3, column 16: Unexpected 'FROM'")
                .satisfies(e -> assertThat(((SqlException) e).line()).isEqualTo(3));
    }

    @Test
    void unknownStreamAndWrongColumnCountAreValidationErrors() {
        assertThatThrownBy(() -> new AppHarness(OUT + "CREATE PUMP P AS INSERT INTO \"OUT\" SELECT STREAM * FROM NOPE;", AppHarness.DEMO))
                .hasMessage("SQL error at line 2, column 57: Object 'NOPE' not found");
        assertThatThrownBy(() -> new AppHarness(OUT + "CREATE PUMP P AS INSERT INTO \"OUT\" SELECT STREAM TICKER_SYMBOL FROM SOURCE_SQL_STREAM_001;",
                AppHarness.DEMO))
                .hasMessage("SQL error at line 2, column 36: Number of INSERT target columns (2) does not equal number of source items (1)");
        assertThatThrownBy(() -> new AppHarness(OUT + "CREATE PUMP P AS INSERT INTO \"OUT\" SELECT STREAM TICKER_SYMBOL, UNKNOWN_FN(PRICE) FROM SOURCE_SQL_STREAM_001;",
                AppHarness.DEMO))
                .hasMessage("SQL error at line 2, column 65: No match found for function signature UNKNOWN_FN(...)");
    }

    @Test
    void groupByWithoutAMonotonicKeyIsRejected() {
        assertThatThrownBy(() -> new AppHarness(OUT + """
                CREATE PUMP P AS INSERT INTO "OUT" SELECT STREAM TICKER_SYMBOL, SUM(PRICE) FROM SOURCE_SQL_STREAM_001
                GROUP BY TICKER_SYMBOL;""", AppHarness.DEMO))
                .isInstanceOf(SqlException.class)
                .hasMessageStartingWith("SQL error at line 3, column 10: Streaming GROUP BY needs a monotonic expression on ROWTIME");
        assertThatThrownBy(() -> new AppHarness(OUT + """
                CREATE PUMP P AS INSERT INTO "OUT" SELECT STREAM SECTOR, SUM(PRICE) FROM SOURCE_SQL_STREAM_001
                GROUP BY TICKER_SYMBOL, FLOOR(ROWTIME TO MINUTE);""", AppHarness.DEMO))
                .hasMessage("SQL error at line 2, column 50: Expression 'SECTOR' is not being grouped");
    }

    @Test
    void caseCastHavingAndFloorToHour() {
        AppHarness h = new AppHarness(OUT + """
                CREATE PUMP P AS INSERT INTO "OUT"
                SELECT STREAM CASE WHEN SUM(PRICE) > 100 THEN 'BIG' ELSE 'SMALL' END || '-' || TICKER_SYMBOL,
                       CAST(COUNT(*) AS DOUBLE) / 2
                FROM SOURCE_SQL_STREAM_001
                GROUP BY TICKER_SYMBOL, FLOOR(SOURCE_SQL_STREAM_001.ROWTIME TO HOUR)
                HAVING COUNT(*) > 1;""", AppHarness.DEMO);
        h.demo("A", "S", 0, 60, at("11:00:00"));
        h.demo("A", "S", 0, 60, at("11:10:00"));
        h.demo("B", "S", 0, 5, at("11:20:00"));
        h.demo("C", "S", 0, 5, at("11:20:00"));
        h.demo("C", "S", 0, 5, at("11:30:00"));
        h.app.advanceTime(at("12:00:00"));
        assertThat(h.out("OUT")).containsExactly(row(at("12:00:00"), "BIG-A", 1.0), row(at("12:00:00"), "SMALL-C", 1.0));
    }

    @Test
    void csvInputWithCustomDelimitersAndNestedJsonPaths() {
        InputSchema csv = new InputSchema(RecordFormat.csv("|", ";"), List.of(
                new RecordColumn("NAME", "VARCHAR(8)", null), new RecordColumn("QTY", "DECIMAL(5,2)", null)));
        AppHarness h = new AppHarness("""
                CREATE STREAM "OUT" (n VARCHAR(8), q DECIMAL(6,2));
                CREATE PUMP P AS INSERT INTO "OUT" SELECT STREAM NAME, QTY * 2 FROM SOURCE_SQL_STREAM_001;""", csv);
        h.app.pushRecord(AppHarness.SOURCE, "x|1.25;y|;z|3".getBytes(StandardCharsets.UTF_8), 0, at("10:00:00"));
        assertThat(h.values("OUT")).containsExactly(List.of("x", new BigDecimal("2.50")), Arrays.asList("y", null),
                List.of("z", new BigDecimal("6.00")));

        InputSchema nested = new InputSchema(RecordFormat.json("$.data"), List.of(
                new RecordColumn("ID", "INTEGER", "$.meta.id"), new RecordColumn("TAG", "VARCHAR(4)", "$.tags[1]"),
                new RecordColumn("OK", "BOOLEAN", "$.ok")));
        AppHarness n = new AppHarness("""
                CREATE STREAM "OUT" (id BIGINT, tag VARCHAR(4), ok BOOLEAN, flag INTEGER);
                CREATE PUMP P AS INSERT INTO "OUT" SELECT STREAM ID, TAG, OK, OK FROM SOURCE_SQL_STREAM_001 WHERE TAG IS NOT NULL;""", nested);
        n.app.pushRecord(AppHarness.SOURCE, "{\"data\":[{\"meta\":{\"id\":7},\"tags\":[\"a\",\"b\"],\"ok\":true},{\"meta\":{\"id\":8},\"tags\":[]}]}"
                .getBytes(StandardCharsets.UTF_8), 0, at("10:00:00"));
        assertThat(n.values("OUT")).containsExactly(List.of(7L, "b", true, 1L));
    }

    @Test
    void valuesThatDoNotCoerceGoToTheErrorStream() {
        AppHarness h = new AppHarness(OUT + "CREATE PUMP P AS INSERT INTO \"OUT\" SELECT STREAM TICKER_SYMBOL, PRICE FROM SOURCE_SQL_STREAM_001;",
                AppHarness.DEMO);
        h.json("{\"TICKER_SYMBOL\":\"A\",\"PRICE\":\"cheap\"}", at("10:00:00"));
        h.json("not json", at("10:00:01"));
        h.json("{\"TICKER_SYMBOL\":\"B\",\"PRICE\":\"2.5\"}", at("10:00:02"));
        assertThat(h.values("OUT")).containsExactly(List.of("B", 2.5));
        assertThat(h.out(Application.ERROR_STREAM)).extracting(r -> r.get(2)).containsExactly("COERCION_ERROR", "SCHEMA_MISMATCH");
        assertThat(h.out(Application.ERROR_STREAM).get(0).get(3)).isEqualTo("Cannot convert VARCHAR value 'cheap' to REAL");
    }

    @Test
    void rowtimeStaysMonotonicWhenTheClockGoesBack() {
        AppHarness h = new AppHarness(OUT + "CREATE PUMP P AS INSERT INTO \"OUT\" SELECT STREAM TICKER_SYMBOL, PRICE FROM SOURCE_SQL_STREAM_001;",
                AppHarness.DEMO);
        h.demo("A", "S", 0, 1, at("10:00:05"));
        h.demo("B", "S", 0, 2, at("10:00:01"));
        assertThat(h.out("OUT")).extracting(Row::rowtime).containsExactly(at("10:00:05"), at("10:00:05"));
    }

    @Test
    void referenceTableMustBeJoinedNotSelected() {
        InputSchema refSchema = new InputSchema(RecordFormat.csv(",", "\n"), List.of(new RecordColumn("K", "VARCHAR(4)", null)));
        assertThatThrownBy(() -> new AppHarness("CREATE STREAM S (k VARCHAR(4)); CREATE PUMP P AS INSERT INTO S SELECT STREAM K FROM R;",
                AppHarness.DEMO, Map.of("R", new ReferenceTable(refSchema, new byte[0]))))
                .hasMessageContaining("Cannot select from reference table 'R' as a stream");
    }
}
