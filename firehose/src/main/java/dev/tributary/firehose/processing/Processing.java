package dev.tributary.firehose.processing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a delivery stream does to each record between its buffer log and its buffers, in the
 * order AWS documents ("KPL (protobuf) de-aggregation, JSON or delimiter de-aggregation, Lambda
 * processing, data partitioning, ..."), whatever order the processors were configured in:
 * <ol>
 * <li>KPL de-aggregation ({@link KplAggregation}) when {@code kplDeAggregation}: on with a
 * {@code RecordDeAggregation} processor, and always for a Kinesis source (AWS de-aggregates KPL
 * records read from a stream);</li>
 * <li>{@code RecordDeAggregation} by {@code subRecordType} ({@link SubRecords}), when not null;</li>
 * <li>{@code Lambda} ({@link LambdaProcessor}), when not null: the engine batches records for it
 * by its own buffering hints; what it answers {@code Ok} goes on, with its partition keys;</li>
 * <li>dynamic partitioning: {@code partitionKeys} maps each record to its keys (the
 * {@code MetadataExtraction} query, evaluated by the caller, which keeps this module free of
 * JSON); it throws for a record whose keys cannot be extracted. Null when off;</li>
 * <li>{@code AppendDelimiterToRecord}: {@code appendDelimiter} after each record, when not null.</li>
 * </ol>
 * Processing happens when the engine reads records from the buffer log into a buffer, so
 * buffering sizes count processed bytes (delimiters included); the buffer log keeps the records
 * as they were put.
 *
 * @param kplDeAggregation    de-aggregate KPL aggregated records
 * @param subRecordType       split records into sub-records; null for no split
 * @param subRecordDelimiter  the DELIMITED split's delimiter (decoded from base64 by the caller)
 * @param partitionKeys       a record's partition keys; null when dynamic partitioning is off
 * @param appendDelimiter     appended to each record; null for none
 * @param lambda              the Lambda processor; null for none
 */
public record Processing(boolean kplDeAggregation, SubRecordType subRecordType, byte[] subRecordDelimiter,
                         Function<byte[], Map<String, String>> partitionKeys, byte[] appendDelimiter,
                         LambdaProcessor lambda) {
    /** No processors: records are delivered as they were put. */
    public static final Processing NONE = new Processing(false, null, null, null, null, null);

    /** Processing without a Lambda processor. */
    public Processing(boolean kplDeAggregation, SubRecordType subRecordType, byte[] subRecordDelimiter,
                      Function<byte[], Map<String, String>> partitionKeys, byte[] appendDelimiter) {
        this(kplDeAggregation, subRecordType, subRecordDelimiter, partitionKeys, appendDelimiter, null);
    }

    /** How {@code RecordDeAggregation} splits a record. */
    public enum SubRecordType {
        JSON, DELIMITED
    }

    public Processing {
        if (subRecordType == SubRecordType.DELIMITED && (subRecordDelimiter == null || subRecordDelimiter.length == 0)) {
            throw new IllegalArgumentException("DELIMITED de-aggregation needs a delimiter");
        }
        subRecordDelimiter = subRecordDelimiter == null ? null : subRecordDelimiter.clone();
        appendDelimiter = appendDelimiter == null ? null : appendDelimiter.clone();
    }

    /** True when dynamic partitioning is on. */
    public boolean partitioned() {
        return partitionKeys != null;
    }

    /** Steps 1 and 2: the records one put record becomes. */
    public List<byte[]> split(byte[] record) {
        List<byte[]> records = kplDeAggregation ? KplAggregation.deaggregate(record) : List.of(record);
        if (subRecordType == null) {
            return records;
        }
        List<byte[]> out = new ArrayList<>();
        for (byte[] r : records) {
            out.addAll(subRecordType == SubRecordType.JSON ? SubRecords.json(r)
                    : SubRecords.delimited(r, subRecordDelimiter));
        }
        return out;
    }

    /** Step 4: the bytes written for one record. */
    public byte[] finish(byte[] record) {
        if (appendDelimiter == null) {
            return record;
        }
        byte[] out = Arrays.copyOf(record, record.length + appendDelimiter.length);
        System.arraycopy(appendDelimiter, 0, out, record.length, appendDelimiter.length);
        return out;
    }
}
