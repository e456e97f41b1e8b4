package dev.tributary.emulator.kinesis;

import java.math.BigInteger;

/**
 * Kinesis sequence numbers: 56-digit decimal strings, strictly increasing within a shard and
 * compared as big integers, that encode where a record is so any of them can be resolved without
 * a lookup table.
 *
 * <p>Layout, most significant digit first:
 * <pre>
 *   digits  0..1   "49"                       (as AWS's own numbers start)
 *   digits  2..15  shard creation, epoch ms   (14 digits; a child shard's numbers exceed its parent's)
 *   digits 16..25  shard index                (10 digits)
 *   digits 26..45  position                   (20 digits; 0 = the shard's StartingSequenceNumber,
 *                                              offset + 1 for the record at that offset)
 *   digits 46..55  0                          (reserved)
 * </pre>
 */
public final class SequenceNumbers {
    private static final int LENGTH = 56;

    /** A decoded sequence number. */
    public record Decoded(long shardCreatedMillis, int shardIndex, long position) {
        /** The offset of the first record at or after this number: AT_SEQUENCE_NUMBER. */
        public long atOffset() {
            return position == 0 ? 0 : position - 1;
        }

        /** The offset of the first record strictly after this number: AFTER_SEQUENCE_NUMBER. */
        public long afterOffset() {
            return position;
        }
    }

    private SequenceNumbers() {
    }

    /** The number of the record at {@code offset}. */
    public static String ofRecord(long shardCreatedMillis, int shardIndex, long offset) {
        return encode(shardCreatedMillis, shardIndex, offset + 1);
    }

    /** A shard's StartingSequenceNumber: below every record of the shard. */
    public static String start(long shardCreatedMillis, int shardIndex) {
        return encode(shardCreatedMillis, shardIndex, 0);
    }

    static String encode(long shardCreatedMillis, int shardIndex, long position) {
        StringBuilder sb = new StringBuilder(LENGTH);
        sb.append("49");
        pad(sb, shardCreatedMillis, 14);
        pad(sb, shardIndex, 10);
        pad(sb, position, 20);
        sb.append("0000000000");
        return sb.toString();
    }

    private static void pad(StringBuilder sb, long v, int width) {
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        sb.append(s);
    }

    /** Decodes a sequence number this emulator issued; null for anything else. */
    public static Decoded decode(String sequenceNumber) {
        if (sequenceNumber == null || sequenceNumber.length() != LENGTH || !sequenceNumber.startsWith("49")) {
            return null;
        }
        for (int i = 0; i < LENGTH; i++) {
            if (!Character.isDigit(sequenceNumber.charAt(i))) {
                return null;
            }
        }
        try {
            long created = Long.parseLong(sequenceNumber.substring(2, 16));
            long index = Long.parseLong(sequenceNumber.substring(16, 26));
            long position = Long.parseLong(sequenceNumber.substring(26, 46));
            if (index > Integer.MAX_VALUE) {
                return null;
            }
            return new Decoded(created, (int) index, position);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Compares two sequence numbers as big integers. */
    public static int compare(String a, String b) {
        return new BigInteger(a).compareTo(new BigInteger(b));
    }
}
