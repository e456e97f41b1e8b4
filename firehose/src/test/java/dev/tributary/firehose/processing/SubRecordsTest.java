package dev.tributary.firehose.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubRecordsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> strings(List<byte[]> records) {
        return records.stream().map(r -> new String(r, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void jsonSplitsConsecutiveObjectsAndDropsTheWhitespaceBetween() {
        assertThat(strings(SubRecords.json(b("{\"a\":1}{\"a\":\"}{\\\"\"}\n {\"b\":[1,{\"c\":[]}]}\n"))))
                .containsExactly("{\"a\":1}", "{\"a\":\"}{\\\"\"}", "{\"b\":[1,{\"c\":[]}]}");
    }

    @Test
    void jsonArrayOrTextOrAnUnclosedObjectPassesThroughAsOneRecord() {
        assertThat(strings(SubRecords.json(b("[{\"a\":1},{\"a\":2}]")))).containsExactly("[{\"a\":1},{\"a\":2}]");
        assertThat(strings(SubRecords.json(b("plain")))).containsExactly("plain");
        assertThat(strings(SubRecords.json(b("{\"a\":1}{\"a\":")))).containsExactly("{\"a\":1}{\"a\":");
    }

    @Test
    void jsonSplitIsCappedAt500SubRecords() {
        List<byte[]> out = SubRecords.json(b("{}".repeat(501)));
        assertThat(out).hasSize(500);
        assertThat(new String(out.get(499), StandardCharsets.UTF_8)).isEqualTo("{}{}");
    }

    @Test
    void delimitedSplitsOnTheDelimiterAndDropsEmptyPieces() {
        assertThat(strings(SubRecords.delimited(b("a####b########c####"), b("####")))).containsExactly("a", "b", "c");
        assertThat(strings(SubRecords.delimited(b("abc"), b("#")))).containsExactly("abc");
    }
}
