package dev.tributary.firehose.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.firehose.processing.Processing.SubRecordType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessingTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> strings(List<byte[]> records) {
        return records.stream().map(r -> new String(r, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void noneLeavesRecordsAsTheyAre() {
        byte[] agg = KplRecords.aggregate(List.of("p"), List.of("a"));
        assertThat(Processing.NONE.split(agg)).containsExactly(agg);
        assertThat(Processing.NONE.finish(b("a"))).isEqualTo(b("a"));
    }

    @Test
    void appendDelimiterAddsItAfterEachRecord() {
        Processing p = new Processing(false, null, null, null, b("\n"));
        assertThat(p.finish(b("a"))).isEqualTo(b("a\n"));
        Processing custom = new Processing(false, null, null, null, b("||"));
        assertThat(custom.finish(b("a"))).isEqualTo(b("a||"));
    }

    @Test
    void kplDeAggregationComesBeforeTheJsonSplit() {
        Processing p = new Processing(true, SubRecordType.JSON, null, null, null);
        byte[] agg = KplRecords.aggregate(List.of("p"), List.of("{\"n\":1}{\"n\":2}", "{\"n\":3}"));
        assertThat(strings(p.split(agg))).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        assertThat(strings(p.split(b("{\"n\":4}")))).containsExactly("{\"n\":4}");
    }

    @Test
    void delimitedSplitUsesItsDelimiter() {
        Processing p = new Processing(true, SubRecordType.DELIMITED, b("##"), null, null);
        assertThat(strings(p.split(b("a##b")))).containsExactly("a", "b");
        assertThatThrownBy(() -> new Processing(true, SubRecordType.DELIMITED, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a delimiter");
    }

    @Test
    void errorLinesEscapeTheMessageAndEncodeTheData() {
        assertThat(ErrorRecords.line(1, "C", "bad \"x\"\n", 2, b("hi")))
                .isEqualTo("{\"attemptsMade\":1,\"arrivalTimestamp\":1,\"errorCode\":\"C\",\"errorMessage\":"
                        + "\"bad \\\"x\\\"\\n\",\"attemptEndingTimestamp\":2,\"rawData\":\"aGk=\"}\n");
    }
}
