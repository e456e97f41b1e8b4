package dev.tributary.emulator.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class ShardIteratorsTest {

    @Test
    void iteratorRoundTripsAndStaysUnder512Characters() {
        String key = "000000000000/ap-southeast-2/" + "s".repeat(128);
        String it = ShardIterators.encode(123L, 9L, 4, 77L, key);
        assertThat(it.length()).isLessThanOrEqualTo(512);
        ShardIterators.Decoded d = ShardIterators.decode(it);
        assertThat(d).isEqualTo(new ShardIterators.Decoded(123L, 9L, 4, 77L, key));
    }

    @Test
    void editedOrTruncatedIteratorsAreRefused() {
        String it = ShardIterators.encode(123L, 9L, 4, 77L, "000000000000/us-east-1/s");
        byte[] raw = Base64.getDecoder().decode(it);
        raw[20] ^= 1;
        assertThat(ShardIterators.decode(Base64.getEncoder().encodeToString(raw))).isNull();
        assertThat(ShardIterators.decode(it.substring(0, it.length() - 8))).isNull();
        assertThat(ShardIterators.decode("not base64 !")).isNull();
        assertThat(ShardIterators.decode("AAAA")).isNull();
    }

    @Test
    void shardIdsParseAsAwsDoes() {
        assertThat(ShardIds.format(5)).isEqualTo("shardId-000000000005");
        assertThat(ShardIds.parse("shardId-000000000005")).isEqualTo(5);
        assertThat(ShardIds.parse("shardId-5")).isEqualTo(5);
        assertThat(ShardIds.parse("shard-0005")).isEqualTo(5);
        assertThat(ShardIds.parse("5")).isEqualTo(5);
        assertThat(ShardIds.parse("shardId-002147483647")).isEqualTo(Integer.MAX_VALUE);
        assertThat(ShardIds.parse("shardId-002147483648")).isEqualTo(-1);
        assertThat(ShardIds.parse("ABKLFD8")).isEqualTo(-1);
        assertThat(ShardIds.parse("2.14E4")).isEqualTo(-1);
    }

    @Test
    void streamArnsParse() {
        StreamRef ref = StreamRef.ofArn("arn:aws:kinesis:eu-west-1:123456789012:stream/orders");
        assertThat(ref).isEqualTo(new StreamRef("123456789012", "eu-west-1", "orders"));
        assertThat(ref.arn()).isEqualTo("arn:aws:kinesis:eu-west-1:123456789012:stream/orders");
        assertThat(StreamRef.ofArn("arn:aws:s3:::bucket")).isNull();
        assertThat(StreamRef.ofStoreKey(ref.storeKey())).isEqualTo(ref);
    }
}
