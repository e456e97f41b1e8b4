package dev.tributary.analytics;

import static dev.tributary.analytics.AppHarness.at;
import static dev.tributary.analytics.AppHarness.row;
import static dev.tributary.analytics.AppHarness.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.analytics.sql.SqlException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The acceptance candidates A to M of the research notes: SQL quoted from the Kinesis Data
 * Analytics developer guide, run unchanged, with exact output rows.
 */
class AcceptanceExamplesTest {
    private static final String A = """
            CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM"
              (symbol VARCHAR(4), sector VARCHAR(12), CHANGE DOUBLE, price DOUBLE);

            -- Create pump to insert into output.
            CREATE OR REPLACE PUMP "STREAM_PUMP" AS
               INSERT INTO "DESTINATION_SQL_STREAM"
                  SELECT STREAM ticker_symbol, sector, CHANGE, price
                  FROM "SOURCE_SQL_STREAM_001"
                  WHERE sector SIMILAR TO '%TECH%';
            """;

    @Test
    void aContinuousFilterKeepsTechRows() {
        AppHarness h = new AppHarness(A, AppHarness.DEMO);
        h.demo("AMZN", "TECHNOLOGY", 1.5, 100.25, at("11:00:01"));
        h.demo("WMT", "RETAIL", -0.5, 70, at("11:00:02"));
        h.demo("QXZ", "FINANCIAL", 0.25, 12, at("11:00:03"));
        h.demo("NFLX", "HIGHTECH", -2, 8, at("11:00:04"));
        assertThat(h.out("DESTINATION_SQL_STREAM")).containsExactly(
                row(at("11:00:01"), "AMZN", "TECHNOLOGY", 1.5, 100.25),
                row(at("11:00:04"), "NFLX", "HIGHTECH", -2.0, 8.0));
        assertThat(h.app.columns("DESTINATION_SQL_STREAM")).extracting(Column::name)
                .containsExactly("SYMBOL", "SECTOR", "CHANGE", "PRICE");
    }

    @Test
    void aVariantDivisionByZeroGoesToErrorStream() {
        String code = """
                CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM"
                  (symbol VARCHAR(4), sector VARCHAR(12), CHANGE DOUBLE, price DOUBLE);
                CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
                  SELECT STREAM ticker_symbol, sector, change, (price / 0) as ProblemColumn FROM "SOURCE_SQL_STREAM_001"
                  WHERE sector SIMILAR TO '%TECH%';
                """;
        AppHarness h = new AppHarness(code, AppHarness.DEMO);
        h.demo("AMZN", "TECHNOLOGY", 1.5, 100.25, at("11:00:01"));
        h.demo("WMT", "RETAIL", -0.5, 70, at("11:00:02"));
        assertThat(h.out("DESTINATION_SQL_STREAM")).isEmpty();
        assertThat(h.out(Application.ERROR_STREAM)).hasSize(1);
        Row error = h.out(Application.ERROR_STREAM).get(0);
        assertThat(error.values()).containsExactly(ts("11:00:01"), "ERROR", "DIVISION_BY_ZERO", "Division by zero",
                ts("11:00:01"), error.get(5), "STREAM_PUMP");
        assertThat(new String(java.util.HexFormat.of().parseHex((String) error.get(5)), StandardCharsets.UTF_8))
                .isEqualTo("[AMZN, TECHNOLOGY, 1.5, 100.25, 2018-05-09 11:00:01.000]");
    }

    @Test
    void bFanOutAsWrittenFailsValidationBecauseAHasNoTickerSymbolColumn() {
        String code = A + """
                CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM_2"
                           (ticker_symbol VARCHAR(4),
                            change        DOUBLE,
                            price         DOUBLE);

                CREATE OR REPLACE PUMP "STREAM_PUMP_2" AS
                   INSERT INTO "DESTINATION_SQL_STREAM_2"
                      SELECT STREAM ticker_symbol, change, price
                      FROM   "DESTINATION_SQL_STREAM";
                """;
        assertThatThrownBy(() -> new AppHarness(code, AppHarness.DEMO))
                .isInstanceOf(SqlException.class)
                .hasMessage("SQL error at line 17, column 21: Column 'TICKER_SYMBOL' not found in any table");
    }

    @Test
    void bFanOutWithRenamedColumnMirrorsAndSplitsByTicker() {
        String code = A.replace("(symbol VARCHAR(4)", "(ticker_symbol VARCHAR(4)") + """
                CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM_2"
                           (ticker_symbol VARCHAR(4),
                            change        DOUBLE,
                            price         DOUBLE);

                CREATE OR REPLACE PUMP "STREAM_PUMP_2" AS
                   INSERT INTO "DESTINATION_SQL_STREAM_2"
                      SELECT STREAM ticker_symbol, change, price
                      FROM   "DESTINATION_SQL_STREAM";

                CREATE OR REPLACE STREAM "AMZN_STREAM"
                           (ticker_symbol VARCHAR(4),
                            change        DOUBLE,
                            price         DOUBLE);

                CREATE OR REPLACE PUMP "AMZN_PUMP" AS
                   INSERT INTO "AMZN_STREAM"
                      SELECT STREAM ticker_symbol, change, price
                      FROM   "SOURCE_SQL_STREAM_001"
                      WHERE  ticker_symbol SIMILAR TO '%AMZN%';

                CREATE OR REPLACE STREAM "TGT_STREAM"
                           (ticker_symbol VARCHAR(4),
                            change        DOUBLE,
                            price         DOUBLE);

                CREATE OR REPLACE PUMP "TGT_PUMP" AS
                   INSERT INTO "TGT_STREAM"
                      SELECT STREAM ticker_symbol, change, price
                      FROM   "SOURCE_SQL_STREAM_001"
                      WHERE  ticker_symbol SIMILAR TO '%TGT%';
                """;
        AppHarness h = new AppHarness(code, AppHarness.DEMO);
        h.demo("AMZN", "TECHNOLOGY", 1.5, 100.25, at("11:00:01"));
        h.demo("TGT", "RETAIL", -0.5, 70, at("11:00:02"));
        h.demo("MSFT", "TECHNOLOGY", 2, 50, at("11:00:03"));
        assertThat(h.values("DESTINATION_SQL_STREAM_2")).containsExactly(
                List.of("AMZN", 1.5, 100.25), List.of("MSFT", 2.0, 50.0));
        assertThat(h.values("AMZN_STREAM")).containsExactly(List.of("AMZN", 1.5, 100.25));
        assertThat(h.values("TGT_STREAM")).containsExactly(List.of("TGT", -0.5, 70.0));
    }

    @Test
    void cSimpleAlertsKeepRowsThatMovedMoreThanOnePercent() {
        String code = """
                CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM"
                           (ticker_symbol VARCHAR(4),
                            sector        VARCHAR(12),
                            change        DOUBLE,
                            price         DOUBLE);

                CREATE OR REPLACE PUMP "STREAM_PUMP" AS
                   INSERT INTO "DESTINATION_SQL_STREAM"
                      SELECT STREAM ticker_symbol, sector, change, price
                      FROM   "SOURCE_SQL_STREAM_001"
                      WHERE  (ABS(Change / (Price - Change)) * 100) > 1;
                """;
        AppHarness h = new AppHarness(code, AppHarness.DEMO);
        h.demo("AAA", "ENERGY", 0.5, 100.5, at("11:00:01")); // 0.5 / 100 -> 0.5 %
        h.demo("BBB", "ENERGY", 2, 102, at("11:00:02")); // 2 / 100 -> 2 %
        h.demo("CCC", "ENERGY", -3, 97, at("11:00:03")); // 3 / 100 -> 3 %
        h.demo("DDD", "ENERGY", 1, 101, at("11:00:04")); // exactly 1 %: not > 1
        assertThat(h.values("DESTINATION_SQL_STREAM")).containsExactly(
                List.of("BBB", "ENERGY", 2.0, 102.0), List.of("CCC", "ENERGY", -3.0, 97.0));
    }

    @Test
    void dThrottledAlertsCountTriggersOfTheLastMinutePerTicker() {
        String code = """
                CREATE OR REPLACE STREAM "CHANGE_STREAM"
                           (ticker_symbol VARCHAR(4),
                            sector        VARCHAR(12),
                            change        DOUBLE,
                            price         DOUBLE);

                CREATE OR REPLACE PUMP "change_pump" AS
                   INSERT INTO "CHANGE_STREAM"
                      SELECT STREAM ticker_symbol, sector, change, price
                      FROM   "SOURCE_SQL_STREAM_001"
                      WHERE  (ABS(Change / (Price - Change)) * 100) > 1;

                CREATE OR REPLACE STREAM TRIGGER_COUNT_STREAM (
                   ticker_symbol VARCHAR(4),
                   change REAL,
                   trigger_count INTEGER);

                CREATE OR REPLACE PUMP trigger_count_pump AS INSERT INTO TRIGGER_COUNT_STREAM
                SELECT STREAM ticker_symbol, change, trigger_count
                FROM (
                    SELECT STREAM ticker_symbol, change, COUNT(*) OVER W1 as trigger_count
                    FROM "CHANGE_STREAM"
                    --window to perform aggregations over last minute to keep track of triggers
                    WINDOW W1 AS (PARTITION BY ticker_symbol RANGE INTERVAL '1' MINUTE PRECEDING)
                )
                WHERE trigger_count >= 1;
                """;
        AppHarness h = new AppHarness(code, AppHarness.DEMO);
        h.demo("AAA", "ENERGY", 2, 102, at("11:00:00"));
        h.demo("AAA", "ENERGY", 0.1, 100.1, at("11:00:10")); // not an alert
        h.demo("BBB", "ENERGY", 5, 105, at("11:00:20"));
        h.demo("AAA", "ENERGY", 3, 103, at("11:00:30"));
        h.demo("AAA", "ENERGY", 4, 104, at("11:01:05")); // the 11:00:00 alert left the window
        assertThat(h.out("TRIGGER_COUNT_STREAM")).containsExactly(
                row(at("11:00:00"), "AAA", 2.0f, 1L),
                row(at("11:00:20"), "BBB", 5.0f, 1L),
                row(at("11:00:30"), "AAA", 3.0f, 2L),
                row(at("11:01:05"), "AAA", 4.0f, 2L));
    }

    @Test
    void eTumblingWindowOnRowtimeEmitsMinAndMaxPerTickerAtTheWindowEnd() {
        String code = """
                CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
                                                   ticker_symbol VARCHAR(4),
                                                   Min_Price     DOUBLE,
                                                   Max_Price     DOUBLE);
                -- CREATE OR REPLACE PUMP to insert into output
                CREATE OR REPLACE PUMP "STREAM_PUMP" AS
                  INSERT INTO "DESTINATION_SQL_STREAM"
                    SELECT STREAM Ticker_Symbol,
                                  MIN(Price) AS Min_Price,
                                  MAX(Price) AS Max_Price
                    FROM    "SOURCE_SQL_STREAM_001"
                    GROUP BY Ticker_Symbol,
                             STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '60' SECOND);
                """;
        AppHarness h = new AppHarness(code, AppHarness.DEMO);
        h.demo("AMZN", "TECH", 1, 10, at("11:00:05"));
        h.demo("MSFT", "TECH", 1, 50, at("11:00:10"));
        h.demo("AMZN", "TECH", 1, 12.5, at("11:00:40"));
        h.demo("AMZN", "TECH", 1, 9, at("11:00:59"));
        assertThat(h.out("DESTINATION_SQL_STREAM")).isEmpty();
        h.demo("AMZN", "TECH", 1, 20, at("11:01:30")); // a later window's row closes the first
        assertThat(h.out("DESTINATION_SQL_STREAM")).containsExactly(
                row(at("11:01:00"), "AMZN", 9.0, 12.5),
                row(at("11:01:00"), "MSFT", 50.0, 50.0));
        h.app.advanceTime(at("11:01:59"));
        assertThat(h.out("DESTINATION_SQL_STREAM")).hasSize(2);
        h.app.advanceTime(at("11:02:00")); // time alone closes the second
        assertThat(h.out("DESTINATION_SQL_STREAM")).last().isEqualTo(row(at("11:02:00"), "AMZN", 20.0, 20.0));
    }

    private static final InputSchema EVENTS = new InputSchema(RecordFormat.json("$"), List.of(
            new RecordColumn("EVENT_TIME", "TIMESTAMP", "$.EVENT_TIME"),
            new RecordColumn("TICKER_SYMBOL", "VARCHAR(4)", "$.TICKER")));

    private static void pushStaggerInput(AppHarness h) {
        String[][] input = {{"11:00:20", "11:00:10"}, {"11:00:30", "11:00:20"}, {"11:01:05", "11:00:55"}, {"11:01:15", "11:01:05"}};
        for (String[] r : input) {
            h.json("{\"EVENT_TIME\":\"2018-05-09 " + r[1] + "\",\"TICKER\":\"AMZN\"}", at(r[0]));
        }
    }

    @Test
    void fTumblingOnRowtimeAndEventTimeGivesTheDocumentedPartialResults() {
        String code = """
                CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
                    TICKER_SYMBOL VARCHAR(4),
                    EVENT_TIME timestamp,
                    TICKER_COUNT     DOUBLE);

                CREATE OR REPLACE PUMP "STREAM_PUMP" AS
                  INSERT INTO "DESTINATION_SQL_STREAM"
                    SELECT STREAM
                        TICKER_SYMBOL,
                        FLOOR(EVENT_TIME TO MINUTE),
                        COUNT(TICKER_SYMBOL) AS TICKER_COUNT
                    FROM "SOURCE_SQL_STREAM_001"
                    GROUP BY ticker_symbol, FLOOR(EVENT_TIME TO MINUTE), STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '1' MINUTE);
                """;
        AppHarness h = new AppHarness(code, EVENTS);
        pushStaggerInput(h);
        h.app.advanceTime(at("11:02:00"));
        assertThat(h.out("DESTINATION_SQL_STREAM")).containsExactly(
                row(at("11:01:00"), "AMZN", ts("11:00:00"), 2.0),
                row(at("11:02:00"), "AMZN", ts("11:00:00"), 1.0),
                row(at("11:02:00"), "AMZN", ts("11:01:00"), 1.0));
    }

    @Test
    void gStaggerWindowGivesTheDocumentedRows() {
        String code = """
                CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
                    ticker_symbol    VARCHAR(4),
                    event_time       TIMESTAMP,
                    ticker_count     DOUBLE);

                CREATE OR REPLACE PUMP "STREAM_PUMP" AS
                  INSERT INTO "DESTINATION_SQL_STREAM"
                    SELECT STREAM
                        TICKER_SYMBOL,
                        FLOOR(EVENT_TIME TO MINUTE),
                        COUNT(TICKER_SYMBOL) AS ticker_count
                    FROM "SOURCE_SQL_STREAM_001"
                    WINDOWED BY STAGGER (
                            PARTITION BY FLOOR(EVENT_TIME TO MINUTE), TICKER_SYMBOL RANGE INTERVAL '1' MINUTE);
                """;
        AppHarness h = new AppHarness(code, EVENTS);
        pushStaggerInput(h);
        h.app.advanceTime(at("11:02:14"));
        assertThat(h.out("DESTINATION_SQL_STREAM")).containsExactly(row(at("11:01:20"), "AMZN", ts("11:00:00"), 3.0));
        h.app.advanceTime(at("11:02:15"));
        assertThat(h.out("DESTINATION_SQL_STREAM")).containsExactly(
                row(at("11:01:20"), "AMZN", ts("11:00:00"), 3.0),
                row(at("11:02:15"), "AMZN", ts("11:01:00"), 1.0));
    }

    @Test
    void hSlidingFiveSecondCountFollowsTheGuideTimeline() {
        String code = """
                CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker_symbol VARCHAR(4), record_count INTEGER);
                CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
                  SELECT STREAM ticker_symbol, COUNT(*) OVER W1
                  FROM "SOURCE_SQL_STREAM_001"
                  WINDOW W1 AS (RANGE INTERVAL '5' SECOND PRECEDING);
                """;
        AppHarness h = new AppHarness(code, AppHarness.DEMO);
        for (String t : List.of("11:00:01", "11:00:02", "11:00:06", "11:00:07", "11:00:08", "11:00:08", "11:00:08")) {
            h.demo("AMZN", "TECH", 1, 10, at(t));
        }
        assertThat(h.out("DESTINATION_SQL_STREAM")).extracting(r -> r.get(1)).containsExactly(1L, 2L, 2L, 2L, 3L, 4L, 5L);
    }

    @Test
    void hSlidingMinMaxAvgPerTickerAndRowWindows() {
        String code = """
                CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
                                         ticker_symbol VARCHAR(10),
                                         Min_Price     double,
                                         Max_Price     double,
                                         Avg_Price     double);
                CREATE OR REPLACE PUMP "STREAM_PUMP" AS
                   INSERT INTO "DESTINATION_SQL_STREAM"
                     SELECT STREAM ticker_symbol,
                                   MIN(Price) OVER W1 AS Min_Price,
                                   MAX(Price) OVER W1 AS Max_Price,
                                   AVG(Price) OVER W1 AS Avg_Price
                     FROM   "SOURCE_SQL_STREAM_001"
                     WINDOW W1 AS (
                        PARTITION BY ticker_symbol
                        RANGE INTERVAL '1' MINUTE PRECEDING);
                CREATE OR REPLACE STREAM "ROWS_STREAM" (
                                           ticker_symbol      VARCHAR(12),
                                           price              double,
                                           average_last2rows  double,
                                           average_last10rows double);

                CREATE OR REPLACE PUMP "myPump" AS INSERT INTO "ROWS_STREAM"
                SELECT STREAM ticker_symbol,
                              price,
                              avg(price) over last2rows,
                              avg(price) over last10rows
                FROM SOURCE_SQL_STREAM_001
                WINDOW
                    last2rows AS (PARTITION BY ticker_symbol ROWS 2 PRECEDING),
                    last10rows AS (PARTITION BY ticker_symbol ROWS 10 PRECEDING);
                """;
        AppHarness h = new AppHarness(code, AppHarness.DEMO);
        h.demo("AMZN", "TECH", 0, 10, at("11:00:00"));
        h.demo("MSFT", "TECH", 0, 100, at("11:00:10"));
        h.demo("AMZN", "TECH", 0, 20, at("11:00:30"));
        h.demo("AMZN", "TECH", 0, 60, at("11:01:10"));
        h.demo("AMZN", "TECH", 0, 40, at("11:01:20"));
        assertThat(h.values("DESTINATION_SQL_STREAM")).containsExactly(
                List.of("AMZN", 10.0, 10.0, 10.0),
                List.of("MSFT", 100.0, 100.0, 100.0),
                List.of("AMZN", 10.0, 20.0, 15.0),
                List.of("AMZN", 20.0, 60.0, 40.0),
                List.of("AMZN", 20.0, 60.0, 40.0));
        assertThat(h.values("ROWS_STREAM")).containsExactly(
                List.of("AMZN", 10.0, 10.0, 10.0),
                List.of("MSFT", 100.0, 100.0, 100.0),
                List.of("AMZN", 20.0, 15.0, 15.0),
                List.of("AMZN", 60.0, 30.0, 30.0),
                List.of("AMZN", 40.0, 40.0, 32.5));
    }

    @Test
    void iTwoClockGroupingPutsALateRecordInTheNextRowtimeWindow() {
        String code = """
                CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM"
                    ("ingest_time"    timestamp,
                    "APPROXIMATE_ARRIVAL_TIME" timestamp,
                    "ticker_symbol"  VARCHAR(12),
                    "symbol_count"        integer);

                CREATE OR REPLACE PUMP "STREAM_PUMP" AS
                    INSERT INTO "DESTINATION_SQL_STREAM"
                    SELECT STREAM STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '60' SECOND) AS "ingest_time",
                        STEP("SOURCE_SQL_STREAM_001".APPROXIMATE_ARRIVAL_TIME BY INTERVAL '60' SECOND) AS "APPROXIMATE_ARRIVAL_TIME",
                        "TICKER_SYMBOL",
                        COUNT(*) AS "symbol_count"
                    FROM "SOURCE_SQL_STREAM_001"
                    GROUP BY "TICKER_SYMBOL",
                        STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '60' SECOND),
                        STEP("SOURCE_SQL_STREAM_001".APPROXIMATE_ARRIVAL_TIME BY INTERVAL '60' SECOND);
                """;
        AppHarness h = new AppHarness(code, AppHarness.DEMO);
        byte[] xyz = "{\"TICKER_SYMBOL\":\"XYZ\",\"SECTOR\":\"S\",\"CHANGE\":1,\"PRICE\":2}".getBytes(StandardCharsets.UTF_8);
        h.app.pushRecord(AppHarness.SOURCE, xyz, at("17:05:10"), at("17:05:11"));
        h.app.pushRecord(AppHarness.SOURCE, xyz, at("17:05:20"), at("17:05:21"));
        h.app.pushRecord(AppHarness.SOURCE, xyz, at("17:05:58"), at("17:06:02")); // arrived in 17:05, ingested in 17:06
        h.app.advanceTime(at("17:07:00"));
        assertThat(h.out("DESTINATION_SQL_STREAM")).containsExactly(
                row(at("17:06:00"), ts("17:05:00"), ts("17:05:00"), "XYZ", 2L),
                row(at("17:07:00"), ts("17:06:00"), ts("17:05:00"), "XYZ", 1L));
    }

    @Test
    void jReferenceJoinAddsTheCompanyNameOrNull() {
        String code = """
                CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker_symbol VARCHAR(4), "Company" varchar(20), sector VARCHAR(12), change DOUBLE, price DOUBLE);

                CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
                   SELECT STREAM ticker_symbol, "c"."Company", sector, change, price
                   FROM "SOURCE_SQL_STREAM_001" LEFT JOIN "CompanyName" as "c"
                   ON "SOURCE_SQL_STREAM_001".ticker_symbol = "c"."Ticker";
                """;
        InputSchema refSchema = new InputSchema(RecordFormat.csv(",", "\n"), List.of(
                new RecordColumn("Ticker", "VARCHAR(4)", null), new RecordColumn("Company", "VARCHAR(20)", null)));
        ReferenceTable ref = new ReferenceTable(refSchema,
                "AMZN,Amazon\nASD, SomeCompanyA\nMMB, SomeCompanyB\nWAS,  SomeCompanyC\n".getBytes(StandardCharsets.UTF_8));
        AppHarness h = new AppHarness(code, AppHarness.DEMO, Map.of("CompanyName", ref));
        h.demo("AMZN", "TECHNOLOGY", 1.5, 100.25, at("11:00:01"));
        h.demo("QXZ", "FINANCIAL", 0.25, 12, at("11:00:02"));
        assertThat(h.values("DESTINATION_SQL_STREAM")).containsExactly(
                List.of("AMZN", "Amazon", "TECHNOLOGY", 1.5, 100.25),
                java.util.Arrays.asList("QXZ", null, "FINANCIAL", 0.25, 12.0));
    }

    @Test
    void kTopKItemsTumblingEmitsTheMostFrequentTickersPerWindow() {
        String code = """
                CREATE OR REPLACE STREAM DESTINATION_SQL_STREAM (
                  "TICKER" VARCHAR(4),
                  "MOST_FREQUENT_VALUES" BIGINT
                );

                CREATE OR REPLACE PUMP "STREAM_PUMP" AS
                    INSERT INTO "DESTINATION_SQL_STREAM"
                    SELECT STREAM *
                        FROM TABLE (TOP_K_ITEMS_TUMBLING(
                            CURSOR(SELECT STREAM * FROM "SOURCE_SQL_STREAM_001"),
                            'TICKER',         -- name of column in single quotes
                            5,                       -- number of the most frequently occurring values
                            60                       -- tumbling window size in seconds
                            )
                        );
                """;
        InputSchema schema = new InputSchema(RecordFormat.json("$"), List.of(new RecordColumn("TICKER", "VARCHAR(4)", "$.TICKER")));
        AppHarness h = new AppHarness(code, schema);
        String[] tickers = {"A", "B", "B", "C", "C", "C", "D", "E", "F", "F", "F", "F", "G", "G"};
        for (int i = 0; i < tickers.length; i++) {
            h.json("{\"TICKER\":\"" + tickers[i] + "\"}", at("11:00:00") + i * 1000L);
        }
        h.app.advanceTime(at("11:01:00"));
        assertThat(h.out("DESTINATION_SQL_STREAM")).containsExactly(
                row(at("11:01:00"), "F", 4L), row(at("11:01:00"), "C", 3L), row(at("11:01:00"), "B", 2L),
                row(at("11:01:00"), "G", 2L), row(at("11:01:00"), "A", 1L));
    }

    @Test
    void lDateTimeFunctions() {
        String code = """
                CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
                    TICKER VARCHAR(4),
                    event_time TIMESTAMP,
                    five_minutes_before TIMESTAMP,
                    event_unix_timestamp BIGINT,
                    event_timestamp_as_char VARCHAR(50),
                    event_second INTEGER);

                CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"

                SELECT STREAM
                    TICKER,
                    EVENT_TIME,
                    EVENT_TIME - INTERVAL '5' MINUTE,
                    UNIX_TIMESTAMP(EVENT_TIME),
                    TIMESTAMP_TO_CHAR('yyyy-MM-dd hh:mm:ss', EVENT_TIME),
                    EXTRACT(SECOND FROM EVENT_TIME)
                FROM "SOURCE_SQL_STREAM_001"
                """;
        InputSchema schema = new InputSchema(RecordFormat.json("$"), List.of(
                new RecordColumn("TICKER", "VARCHAR(4)", "$.TICKER"), new RecordColumn("EVENT_TIME", "TIMESTAMP", "$.EVENT_TIME")));
        AppHarness h = new AppHarness(code, schema);
        h.json("{\"TICKER\":\"AMZN\",\"EVENT_TIME\":\"2018-05-09T15:25:37.250Z\"}", at("15:25:38"));
        assertThat(h.values("DESTINATION_SQL_STREAM")).containsExactly(List.of("AMZN", ts("15:25:37").plus(250),
                ts("15:20:37").plus(250), 1525879537250L, "2018-05-09 03:25:37", 37L));
    }

    @Test
    void mRegexLogParseSplitsAnApacheLogLine() {
        String code = """
                CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (logentry VARCHAR(24), match1 VARCHAR(24), match2 VARCHAR(24));

                CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
                    SELECT STREAM T.LOGENTRY, T.REC.COLUMN1, T.REC.COLUMN2
                    FROM
                         (SELECT STREAM LOGENTRY,
                             REGEX_LOG_PARSE(LOGENTRY, '(\\w.+) (\\d.+) (\\w.+) (\\w.+)') AS REC
                             FROM SOURCE_SQL_STREAM_001) AS T;
                """;
        InputSchema schema = new InputSchema(RecordFormat.json("$"), List.of(new RecordColumn("LOGENTRY", "VARCHAR(512)", "$.LOGENTRY")));
        AppHarness h = new AppHarness(code, schema);
        h.json("{\"LOGENTRY\": \"203.0.113.24 - - [25/Mar/2018:15:25:37 -0700] \\\"GET /index.php HTTP/1.1\\\" 200 125 "
                + "\\\"-\\\" \\\"Mozilla/5.0 [en] Gecko/20100101 Firefox/52.0\\\"\"}", at("15:25:38"));
        assertThat(h.values("DESTINATION_SQL_STREAM")).containsExactly(
                List.of("203.0.113.24 - - [25/Mar", "203.0.113.24 - - [25/Mar", "125 \"-\" \"Mozilla/5.0 [en"));
    }
}
