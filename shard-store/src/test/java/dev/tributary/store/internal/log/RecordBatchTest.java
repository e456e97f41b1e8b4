package dev.tributary.store.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.store.api.AppendRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordBatchTest {
    static final List<AppendRecord> RECORDS = List.of(new AppendRecord(5, new byte[] {1}, new byte[] {2, 3}, 7),
            new AppendRecord(9, new byte[0], new byte[0], -1), new AppendRecord(3, new byte[] {4}, new byte[10], 0));

    @Test
    void encodedBatchPassesItsCheckAndDecodesEveryRecord() {
        ByteBuffer buf = RecordBatch.encode(42, RECORDS);
        assertThat(buf.remaining()).isEqualTo(RecordBatch.sizeOf(RECORDS)).isEqualTo(33 + 3 * 20 + 1 + 2 + 1 + 10);
        RecordBatch.CheckResult r = RecordBatch.check(buf, 0, buf.remaining(), 42);
        assertThat(r.check()).isEqualTo(RecordBatch.Check.OK);
        assertThat(r.header()).isEqualTo(new RecordBatch.Header(42, 3, 9, buf.remaining()));
        List<String> seen = new ArrayList<>();
        RecordBatch.forEachRecord(buf, 0, r.header(), 43, (off, ts, flags, b, ka, kl, va, vl) -> {
            seen.add(off + ":" + ts + ":" + flags + ":" + kl + ":" + vl);
            return true;
        });
        assertThat(seen).containsExactly("43:9:-1:0:0", "44:3:0:1:10");
    }

    @Test
    void checkTellsTornCorruptAndZeroFilledBatchesApart() {
        ByteBuffer buf = RecordBatch.encode(0, RECORDS);
        int len = buf.remaining();
        ByteBuffer torn = buf.duplicate().limit(len - 1);
        assertThat(RecordBatch.check(torn, 0, len - 1, 0).check()).isEqualTo(RecordBatch.Check.PARTIAL);
        assertThat(RecordBatch.check(buf, 0, len, 1).reason()).isEqualTo("batch base offset 0 where 1 was expected");
        ByteBuffer flipped = ByteBuffer.wrap(buf.array().clone());
        flipped.put(len - 1, (byte) 1);
        assertThat(RecordBatch.check(flipped, 0, len, 0).reason()).isEqualTo("crc mismatch");
        ByteBuffer zeroes = ByteBuffer.allocate(100);
        assertThat(RecordBatch.check(zeroes, 0, 100, 0).check()).isEqualTo(RecordBatch.Check.ZEROES);
        ByteBuffer badLength = ByteBuffer.wrap(buf.array().clone());
        badLength.putInt(RecordBatch.LENGTH_AT, 7);
        assertThat(RecordBatch.check(badLength, 0, len, 0).reason()).isEqualTo("impossible batch length 7");
    }
}
