package dev.tributary.firehose.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KplAggregationTest {
    private static List<String> strings(List<byte[]> records) {
        return records.stream().map(r -> new String(r, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void aggregatedRecordYieldsItsUserRecordsInOrder() {
        byte[] agg = KplRecords.aggregate(List.of("pk1", "pk2"), List.of("{\"n\":1}", "{\"n\":2}", "x"));
        assertThat(KplAggregation.looksAggregated(agg)).isTrue();
        assertThat(strings(KplAggregation.deaggregate(agg))).containsExactly("{\"n\":1}", "{\"n\":2}", "x");
    }

    @Test
    void largeUserRecordsUseMultiByteLengths() {
        String big = "y".repeat(70_000);
        assertThat(strings(KplAggregation.deaggregate(KplRecords.aggregate(List.of("p"), List.of(big, "z")))))
                .containsExactly(big, "z");
    }

    @Test
    void plainRecordPassesThroughUnchanged() {
        byte[] plain = "hello".getBytes(StandardCharsets.UTF_8);
        assertThat(KplAggregation.deaggregate(plain)).containsExactly(plain);
    }

    @Test
    void recordWithTheMagicButAWrongChecksumPassesThroughUnchanged() {
        byte[] agg = KplRecords.aggregate(List.of("p"), List.of("a"));
        agg[agg.length - 1] ^= 1;
        assertThat(KplAggregation.deaggregate(agg)).containsExactly(agg);
    }

    @Test
    void malformedMessageWithAValidChecksumPassesThroughUnchanged() {
        byte[] msg = {0x1A, 0x7F, 0x01}; // field 3, length 127, but only one byte follows
        byte[] rec = new byte[4 + msg.length + 16];
        System.arraycopy(KplAggregation.MAGIC, 0, rec, 0, 4);
        System.arraycopy(msg, 0, rec, 4, msg.length);
        System.arraycopy(KplAggregation.md5(msg), 0, rec, 4 + msg.length, 16);
        assertThat(KplAggregation.deaggregate(rec)).hasSize(1).allSatisfy(r -> assertThat(Arrays.equals(r, rec)).isTrue());
    }
}
