package dev.tributary.firehose.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {
    private static final Instant T = Instant.parse("2026-07-13T14:05:09.250Z");
    private final Random random = new Random(1);

    @Test
    void missingPrefixIsTheUtcHourPath() {
        assertThat(ObjectKeys.evaluatePrefix(null, T, ZoneOffset.UTC, random)).isEqualTo("2026/07/13/14/");
        assertThat(ObjectKeys.evaluatePrefix("", T, ZoneOffset.UTC, random)).isEqualTo("2026/07/13/14/");
    }

    @Test
    void staticPrefixIsConcatenatedWithoutASlash() {
        assertThat(ObjectKeys.evaluatePrefix("legacy", T, ZoneOffset.UTC, random)).isEqualTo("legacy2026/07/13/14/");
        assertThat(ObjectKeys.evaluatePrefix("logs/", T, ZoneOffset.UTC, random)).isEqualTo("logs/2026/07/13/14/");
    }

    @Test
    void timestampExpressionsAreEvaluatedAndNoDefaultIsAppended() {
        assertThat(ObjectKeys.evaluatePrefix("year=!{timestamp:yyyy}/month=!{timestamp:MM}/", T, ZoneOffset.UTC,
                random)).isEqualTo("year=2026/month=07/");
        assertThat(ObjectKeys.evaluatePrefix("!{timestamp:'d='yyyy-MM-dd}/", T, ZoneOffset.UTC, random))
                .isEqualTo("d=2026-07-13/");
    }

    @Test
    void randomStringIsElevenCharactersPerOccurrence() {
        String p = ObjectKeys.evaluatePrefix("!{firehose:random-string}/!{firehose:random-string}/", T,
                ZoneOffset.UTC, random);
        String[] parts = p.split("/");
        assertThat(parts[0]).hasSize(11).matches("[a-z0-9]{11}");
        assertThat(parts[1]).hasSize(11).isNotEqualTo(parts[0]);
        assertThat(parts[2] + "/" + parts[3] + "/" + parts[4] + "/" + parts[5] + "/").isEqualTo("2026/07/13/14/");
    }

    @Test
    void customTimeZoneChangesPrefixAndName() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        assertThat(ObjectKeys.evaluatePrefix(null, T, tokyo, random)).isEqualTo("2026/07/13/23/");
        assertThat(ObjectKeys.objectName("s", 1, T, tokyo, new UUID(0, 1), "")).startsWith("s-1-2026-07-13-23-05-09-");
    }

    @Test
    void objectNameIsStreamVersionTimeUuidExtension() {
        UUID uuid = UUID.fromString("a9fa96af-e4e4-409f-bac3-1f804714faaa");
        assertThat(ObjectKeys.objectName("my-delivery-stream", 3, T, ZoneOffset.UTC, uuid, ".gz"))
                .isEqualTo("my-delivery-stream-3-2026-07-13-14-05-09-a9fa96af-e4e4-409f-bac3-1f804714faaa.gz");
    }

    @Test
    void errorOutputPrefixRulesAreChecked() {
        assertThat(ObjectKeys.validate("static/", null)).isNull();
        assertThat(ObjectKeys.validate("!{timestamp:yyyy/MM/dd}", null))
                .isEqualTo("ErrorOutputPrefix can't be null when Prefix contains expressions");
        assertThat(ObjectKeys.validate("!{timestamp:yyyy}/", "err/!{timestamp:yyyy}/"))
                .contains("!{firehose:error-output-type}");
        assertThat(ObjectKeys.validate("!{timestamp:yyyy}/", "err/!{firehose:error-output-type}/")).isNull();
        assertThat(ObjectKeys.validate("!{firehose:error-output-type}/", "e/!{firehose:error-output-type}"))
                .contains("allowed only in ErrorOutputPrefix");
        assertThat(ObjectKeys.validate("!{nope:x}", "e/")).contains("Unknown expression namespace nope");
        assertThat(ObjectKeys.validate("!{timestamp", "e/")).contains("malformed");
    }

    @Test
    void errorPrefixGetsTheErrorType() {
        assertThat(ObjectKeys.evaluateErrorPrefix("err/!{firehose:error-output-type}/!{timestamp:yyyy}/", "p/",
                "processing-failed", T, ZoneOffset.UTC, random)).isEqualTo("err/processing-failed/2026/");
    }

    @Test
    void partitionKeysFillTheirExpressionsAndNoTimePrefixIsAppended() {
        assertThat(ObjectKeys.evaluatePrefix("customer_id=!{partitionKeyFromQuery:customer_id}/", T, ZoneOffset.UTC,
                random, Map.of("customer_id", "42"))).isEqualTo("customer_id=42/");
        assertThat(ObjectKeys.evaluatePrefix("c=!{partitionKeyFromQuery:c}/!{timestamp:yyyy}/", T, ZoneOffset.UTC,
                random, Map.of("c", "x"))).isEqualTo("c=x/2026/");
        assertThat(ObjectKeys.partitionKeysIn("a=!{partitionKeyFromQuery:a}/b=!{partitionKeyFromQuery:b}/!{timestamp:yyyy}"))
                .containsExactly("a", "b");
    }

    @Test
    void partitionKeyExpressionsNeedDynamicPartitioningAndAnErrorPrefix() {
        String prefix = "c=!{partitionKeyFromQuery:c}/";
        assertThat(ObjectKeys.validate(prefix, "e/!{firehose:error-output-type}/"))
                .contains("allowed only when dynamic partitioning is enabled");
        assertThat(ObjectKeys.validate(prefix, "e/!{firehose:error-output-type}/", true)).isNull();
        assertThat(ObjectKeys.validate(prefix, null, true))
                .isEqualTo("ErrorOutputPrefix is required when dynamic partitioning is enabled.");
        assertThat(ObjectKeys.validate("!{partitionKeyFromLambda:c}/", "e/", true)).isNull();
        assertThat(ObjectKeys.validate("!{partitionKeyFromLambda:c}/", "e/", false))
                .contains("allowed only when dynamic partitioning is enabled");
        assertThat(ObjectKeys.validate("p/", "e/!{partitionKeyFromQuery:c}/", true))
                .contains("not allowed in ErrorOutputPrefix");
    }
}
