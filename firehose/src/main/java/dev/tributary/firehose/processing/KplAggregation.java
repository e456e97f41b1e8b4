package dev.tributary.firehose.processing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * De-aggregates records written by the Kinesis Producer Library (KPL) with aggregation on.
 *
 * <p>Layout of an aggregated record:
 * <pre>
 *   magic     4 bytes   0xF3 0x89 0x9A 0xC2
 *   message   n bytes   protobuf AggregatedRecord
 *   checksum 16 bytes   MD5 of the message bytes
 *
 *   message AggregatedRecord {
 *     repeated string partition_key_table     = 1;
 *     repeated string explicit_hash_key_table = 2;
 *     repeated Record records                 = 3;
 *   }
 *   message Record {
 *     required uint64 partition_key_index     = 1;
 *     optional uint64 explicit_hash_key_index = 2;
 *     required bytes  data                    = 3;
 *     repeated Tag    tags                    = 4;
 *   }
 * </pre>
 * Only the user records' {@code data} is kept: Firehose delivers data, not keys. The protobuf
 * reader is hand-rolled (varints and length-delimited fields, unknown fields skipped) to avoid a
 * protobuf dependency for one message. A record without the magic, with a wrong checksum or a
 * malformed message is not an aggregated record and passes through unchanged, as the KPL's own
 * de-aggregators do. Stateless; thread-safe.
 */
public final class KplAggregation {
    /** The four bytes an aggregated record starts with. */
    public static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
    private static final int DIGEST_LENGTH = 16;

    private KplAggregation() {
    }

    /** True when {@code record} starts with the KPL magic and is long enough to hold a checksum. */
    public static boolean looksAggregated(byte[] record) {
        return record.length >= MAGIC.length + DIGEST_LENGTH
                && Arrays.equals(record, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** The user records inside {@code record}, or {@code record} alone when it is not aggregated. */
    public static List<byte[]> deaggregate(byte[] record) {
        if (!looksAggregated(record)) {
            return List.of(record);
        }
        int end = record.length - DIGEST_LENGTH;
        byte[] message = Arrays.copyOfRange(record, MAGIC.length, end);
        if (!Arrays.equals(md5(message), Arrays.copyOfRange(record, end, record.length))) {
            return List.of(record);
        }
        try {
            List<byte[]> out = new ArrayList<>();
            Reader r = new Reader(message, 0, message.length);
            while (r.hasMore()) {
                long tag = r.varint();
                if ((tag >>> 3) == 3 && (tag & 7) == 2) {
                    Reader sub = r.sub();
                    byte[] data = new byte[0];
                    while (sub.hasMore()) {
                        long t = sub.varint();
                        if ((t >>> 3) == 3 && (t & 7) == 2) {
                            data = sub.bytes();
                        } else {
                            sub.skip((int) (t & 7));
                        }
                    }
                    out.add(data);
                } else {
                    r.skip((int) (tag & 7));
                }
            }
            return out;
        } catch (IllegalArgumentException e) {
            return List.of(record);
        }
    }

    static byte[] md5(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }

    /** A protobuf wire-format reader over {@code buf[pos, limit)}; throws IllegalArgumentException when malformed. */
    private static final class Reader {
        private final byte[] buf;
        private int pos;
        private final int limit;

        Reader(byte[] buf, int pos, int limit) {
            this.buf = buf;
            this.pos = pos;
            this.limit = limit;
        }

        boolean hasMore() {
            return pos < limit;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= limit) {
                    throw new IllegalArgumentException("truncated varint");
                }
                byte b = buf[pos++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("varint too long");
        }

        private int length() {
            long n = varint();
            if (n < 0 || n > limit - pos) {
                throw new IllegalArgumentException("length " + n + " runs past the message");
            }
            return (int) n;
        }

        byte[] bytes() {
            int n = length();
            byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return out;
        }

        Reader sub() {
            int n = length();
            Reader r = new Reader(buf, pos, pos + n);
            pos += n;
            return r;
        }

        void skip(int wireType) {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> advance(length());
                case 5 -> advance(4);
                default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
            }
        }

        private void advance(int n) {
            if (n > limit - pos) {
                throw new IllegalArgumentException("field runs past the message");
            }
            pos += n;
        }
    }
}
