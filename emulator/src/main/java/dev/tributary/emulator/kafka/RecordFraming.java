package dev.tributary.emulator.kafka;

import dev.tributary.store.api.AppendRecord;
import dev.tributary.store.api.StoredRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * How a Kafka record is kept in a store record, whose fields are a timestamp, a key, a value and
 * flags.
 *
 * <ul>
 *   <li>timestamp: the Kafka record's timestamp (CreateTime, as the producer set it);</li>
 *   <li>key: the Kafka key; a null key is stored empty with flag {@link #KEY_NULL};</li>
 *   <li>value: the Kafka value; a null value (a tombstone) is stored empty with flag
 *       {@link #VALUE_NULL};</li>
 *   <li>headers, when the record has any (flag {@link #HEADERS}), come before the value in the
 *       stored value: a big-endian int32 header count, then per header an int32 key length, the
 *       key's UTF-8 bytes, an int32 value length (-1 for a null value) and the value bytes.</li>
 * </ul>
 * A Kinesis reader of the same bytes would see that framing; Kafka topics are not visible to
 * Kinesis, so only this class reads and writes it.
 */
public final class RecordFraming {
    public static final int KEY_NULL = 1;
    public static final int VALUE_NULL = 2;
    public static final int HEADERS = 4;
    private static final Header[] NO_HEADERS = new Header[0];

    private RecordFraming() {
    }

    /** The store record of a Kafka record. */
    public static AppendRecord encode(long timestamp, ByteBuffer key, ByteBuffer value, Header[] headers) {
        int flags = 0;
        byte[] k = bytes(key);
        if (key == null) {
            flags |= KEY_NULL;
        }
        if (value == null) {
            flags |= VALUE_NULL;
        }
        byte[] v;
        if (headers != null && headers.length > 0) {
            flags |= HEADERS;
            int size = 4;
            byte[][] names = new byte[headers.length][];
            for (int i = 0; i < headers.length; i++) {
                names[i] = headers[i].key().getBytes(StandardCharsets.UTF_8);
                size += 8 + names[i].length + (headers[i].value() == null ? 0 : headers[i].value().length);
            }
            int valueLength = value == null ? 0 : value.remaining();
            ByteBuffer out = ByteBuffer.allocate(size + valueLength);
            out.putInt(headers.length);
            for (int i = 0; i < headers.length; i++) {
                out.putInt(names[i].length).put(names[i]);
                byte[] hv = headers[i].value();
                out.putInt(hv == null ? -1 : hv.length);
                if (hv != null) {
                    out.put(hv);
                }
            }
            if (value != null) {
                out.put(value.duplicate());
            }
            v = out.array();
        } else {
            v = bytes(value);
        }
        return new AppendRecord(timestamp, k, v, flags);
    }

    private static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return new byte[0];
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** A Kafka record read back: key and value null where they were. */
    public record Decoded(byte[] key, byte[] value, Header[] headers) {
    }

    public static Decoded decode(StoredRecord r) {
        byte[] key = (r.flags() & KEY_NULL) != 0 ? null : r.key();
        if ((r.flags() & HEADERS) == 0) {
            return new Decoded(key, (r.flags() & VALUE_NULL) != 0 ? null : r.value(), NO_HEADERS);
        }
        ByteBuffer in = ByteBuffer.wrap(r.value());
        Header[] headers = new Header[in.getInt()];
        for (int i = 0; i < headers.length; i++) {
            byte[] name = new byte[in.getInt()];
            in.get(name);
            int len = in.getInt();
            byte[] hv = null;
            if (len >= 0) {
                hv = new byte[len];
                in.get(hv);
            }
            headers[i] = new RecordHeader(new String(name, StandardCharsets.UTF_8), hv);
        }
        byte[] value = null;
        if ((r.flags() & VALUE_NULL) == 0) {
            value = new byte[in.remaining()];
            in.get(value);
        }
        return new Decoded(key, value, headers);
    }
}
