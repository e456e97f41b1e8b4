package dev.tributary.emulator.firehose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JqPartitionKeysTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void objectQueryYieldsStringKeysFromStringsNumbersAndNestedFields() {
        JqPartitionKeys q = new JqPartitionKeys("{customer_id:.customer_id, device:.type.device, n:.n, gone:.none}");
        assertThat(q.apply(b("{\"customer_id\":\"c-1\",\"type\":{\"device\":\"mobile\"},\"n\":7}")))
                .isEqualTo(Map.of("customer_id", "c-1", "device", "mobile", "n", "7"));
    }

    @Test
    void recordThatIsNotJsonOrAQueryNotYieldingOneObjectFails() {
        JqPartitionKeys q = new JqPartitionKeys("{c:.c}");
        assertThatThrownBy(() -> q.apply(b("not json"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The record is not valid JSON.");
        assertThatThrownBy(() -> new JqPartitionKeys(".c").apply(b("{\"c\":1}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The query .c must yield one JSON object, not 1");
        assertThatThrownBy(() -> new JqPartitionKeys("{c:(.c|ascii_downcase)}").apply(b("{\"c\":1}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("The query {c:(.c|ascii_downcase)} failed");
    }

    @Test
    void invalidExpressionIsRejectedAtCompileTime() {
        assertThatThrownBy(() -> new JqPartitionKeys("{c:.c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("MetadataExtractionQuery {c:.c is not a valid JQ-1.6 expression");
    }
}
