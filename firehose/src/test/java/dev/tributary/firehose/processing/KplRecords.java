package dev.tributary.firehose.processing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds KPL aggregated records for tests, with a minimal protobuf writer. */
final class KplRecords {
    private KplRecords() {
    }

    static byte[] aggregate(List<String> partitionKeys, List<String> data) {
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        for (String pk : partitionKeys) {
            field(msg, 1, pk.getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < data.size(); i++) {
            ByteArrayOutputStream rec = new ByteArrayOutputStream();
            varint(rec, 1 << 3);
            varint(rec, i % partitionKeys.size());
            field(rec, 3, data.get(i).getBytes(StandardCharsets.UTF_8));
            field(rec, 4, new byte[] {0x0A, 0x01, 'k'}); // a Tag {key = "k"}, to be skipped
            field(msg, 3, rec.toByteArray());
        }
        byte[] m = msg.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(KplAggregation.MAGIC);
        out.writeBytes(m);
        out.writeBytes(KplAggregation.md5(m));
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, int number, byte[] value) {
        varint(out, (number << 3) | 2);
        varint(out, value.length);
        out.writeBytes(value);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
