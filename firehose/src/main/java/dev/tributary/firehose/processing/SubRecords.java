package dev.tributary.firehose.processing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Multi-record de-aggregation ({@code RecordDeAggregation} with {@code SubRecordType} JSON or
 * DELIMITED), capped, as AWS caps it, at {@value #MAX_SUB_RECORDS} sub-records per record (the
 * rest stays in the last one).
 *
 * <p>JSON: consecutive JSON objects, e.g. {@code {"a":1}{"a":2}} or one per line; whitespace
 * between them is dropped. The scan only tracks braces, brackets and strings (with escapes) to
 * find where each top-level value ends; it does not parse values, so the module stays JSON-free.
 * Data that is not a sequence of objects (an array, text) passes through as one record.
 *
 * <p>DELIMITED: split on the delimiter bytes; empty pieces are dropped. Stateless; thread-safe.
 */
public final class SubRecords {
    /** AWS: "Record deaggregation by JSON or by delimiter is capped at 500 per record." */
    public static final int MAX_SUB_RECORDS = 500;

    private SubRecords() {
    }

    /** The consecutive JSON objects in {@code record}; {@code record} alone when it is not such a sequence. */
    public static List<byte[]> json(byte[] record) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        int n = record.length;
        while (true) {
            while (i < n && isSpace(record[i])) {
                i++;
            }
            if (i == n) {
                break;
            }
            if (record[i] != '{') {
                return List.of(record);
            }
            if (out.size() == MAX_SUB_RECORDS - 1) {
                out.add(trimEnd(Arrays.copyOfRange(record, i, n)));
                return out;
            }
            int end = endOfValue(record, i);
            if (end < 0) {
                return List.of(record);
            }
            out.add(Arrays.copyOfRange(record, i, end));
            i = end;
        }
        return out.isEmpty() ? List.of(record) : out;
    }

    /** The pieces of {@code record} between occurrences of {@code delimiter}, empty ones dropped. */
    public static List<byte[]> delimited(byte[] record, byte[] delimiter) {
        if (delimiter == null || delimiter.length == 0) {
            return List.of(record);
        }
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i <= record.length - delimiter.length && out.size() < MAX_SUB_RECORDS - 1) {
            if (Arrays.equals(record, i, i + delimiter.length, delimiter, 0, delimiter.length)) {
                if (i > start) {
                    out.add(Arrays.copyOfRange(record, start, i));
                }
                i += delimiter.length;
                start = i;
            } else {
                i++;
            }
        }
        if (start < record.length) {
            out.add(Arrays.copyOfRange(record, start, record.length));
        }
        return out;
    }

    /** The index just past the object starting at {@code from}, or -1 if it does not close. */
    private static int endOfValue(byte[] b, int from) {
        int depth = 0;
        boolean inString = false;
        for (int i = from; i < b.length; i++) {
            byte c = b[i];
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            }
        }
        return -1;
    }

    private static byte[] trimEnd(byte[] b) {
        int n = b.length;
        while (n > 0 && isSpace(b[n - 1])) {
            n--;
        }
        return n == b.length ? b : Arrays.copyOf(b, n);
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }
}
