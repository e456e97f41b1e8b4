package dev.tributary.emulator.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class SequenceNumbersTest {

    @Test
    void sequenceNumbersAre56DigitsAndRoundTrip() {
        String seq = SequenceNumbers.ofRecord(1_763_790_000_123L, 7, 41);
        assertThat(seq).hasSize(56).startsWith("49").containsOnlyDigits();
        SequenceNumbers.Decoded d = SequenceNumbers.decode(seq);
        assertThat(d.shardCreatedMillis()).isEqualTo(1_763_790_000_123L);
        assertThat(d.shardIndex()).isEqualTo(7);
        assertThat(d.atOffset()).isEqualTo(41);
        assertThat(d.afterOffset()).isEqualTo(42);
    }

    @Test
    void numbersIncreaseWithOffsetAndStartIsBelowEveryRecord() {
        String start = SequenceNumbers.start(1000, 0);
        String first = SequenceNumbers.ofRecord(1000, 0, 0);
        String second = SequenceNumbers.ofRecord(1000, 0, 1);
        String big = SequenceNumbers.ofRecord(1000, 0, Long.MAX_VALUE - 1);
        assertThat(SequenceNumbers.compare(start, first)).isNegative();
        assertThat(SequenceNumbers.compare(first, second)).isNegative();
        assertThat(SequenceNumbers.compare(second, big)).isNegative();
        assertThat(new BigInteger(big).toString()).hasSize(56);
        assertThat(SequenceNumbers.decode(start).atOffset()).isZero();
        assertThat(SequenceNumbers.decode(start).afterOffset()).isZero();
    }

    @Test
    void childShardNumbersExceedParentNumbers() {
        String parentLast = SequenceNumbers.ofRecord(1000, 0, 1_000_000);
        String childFirst = SequenceNumbers.ofRecord(1001, 1, 0);
        assertThat(SequenceNumbers.compare(parentLast, childFirst)).isNegative();
    }

    @Test
    void foreignNumbersDoNotDecode() {
        assertThat(SequenceNumbers.decode("0")).isNull();
        assertThat(SequenceNumbers.decode("1".repeat(56))).isNull();
        assertThat(SequenceNumbers.decode("49" + "x".repeat(54))).isNull();
        assertThat(SequenceNumbers.decode(null)).isNull();
    }
}
