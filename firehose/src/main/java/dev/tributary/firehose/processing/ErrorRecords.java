package dev.tributary.firehose.processing;

import java.util.Base64;

/**
 * The JSON line written to the error prefix for a record that failed processing, in the shape
 * AWS documents for {@code processing-failed} records:
 * {@code {"attemptsMade":1,"arrivalTimestamp":<ms>,"errorCode":"...","errorMessage":"...",
 * "attemptEndingTimestamp":<ms>,"rawData":"<base64>"}} and a newline. Written by hand (a string
 * escaper, no JSON library). Stateless; thread-safe.
 */
public final class ErrorRecords {
    /** The error code of a record whose partition keys could not be extracted (Tributary's name; AWS's is undocumented). */
    public static final String METADATA_EXTRACTION_FAILED = "DynamicPartitioning.MetadataExtractionFailed";
    /** The error-output-type of such records. */
    public static final String PROCESSING_FAILED = "processing-failed";

    /**
     * The error-output-type of records that would have opened a partition beyond the active-partition
     * limit (AWS: "the rest of the records ... will be delivered to the specified S3 error bucket
     * prefix (activePartitionExceeded)").
     */
    public static final String ACTIVE_PARTITION_EXCEEDED = "activePartitionExceeded";
    /** Their error code (Tributary's name; AWS documents the prefix, not the code). */
    public static final String ACTIVE_PARTITIONS_LIMIT = "DynamicPartitioning.ActivePartitionsLimitExceeded";

    /** The error-output-type of records an HTTP endpoint did not accept. */
    public static final String HTTP_ENDPOINT_FAILED = "http-endpoint-failed";

    private ErrorRecords() {
    }

    public static String line(long arrivalMillis, String errorCode, String errorMessage, long endingMillis,
                              byte[] rawData) {
        return line(1, arrivalMillis, errorCode, errorMessage, endingMillis, rawData, null);
    }

    /**
     * A {@code processing-failed} line after {@code attemptsMade} attempts; with a Lambda processor
     * the line ends with its {@code lambdaArn}, as AWS's do.
     */
    public static String line(int attemptsMade, long arrivalMillis, String errorCode, String errorMessage,
                              long endingMillis, byte[] rawData, String lambdaArn) {
        return "{\"attemptsMade\":" + attemptsMade + ",\"arrivalTimestamp\":" + arrivalMillis + ",\"errorCode\":"
                + quote(errorCode) + ",\"errorMessage\":" + quote(errorMessage) + ",\"attemptEndingTimestamp\":"
                + endingMillis + ",\"rawData\":\"" + Base64.getEncoder().encodeToString(rawData) + "\""
                + (lambdaArn == null ? "" : ",\"lambdaArn\":" + quote(lambdaArn)) + "}\n";
    }

    /**
     * The line AWS writes under the error prefix for a record an HTTP endpoint did not accept:
     * {@code {"attemptsMade","arrivalTimestamp","errorCode","errorMessage","attemptEndingTimestamp",
     * "rawData","subsequenceNumber","dataId"}} and a newline.
     */
    public static String httpLine(int attemptsMade, long arrivalMillis, String errorCode, String errorMessage,
                                  long endingMillis, byte[] rawData, String dataId) {
        return "{\"attemptsMade\":" + attemptsMade + ",\"arrivalTimestamp\":" + arrivalMillis + ",\"errorCode\":"
                + quote(errorCode) + ",\"errorMessage\":" + quote(errorMessage) + ",\"attemptEndingTimestamp\":"
                + endingMillis + ",\"rawData\":\"" + Base64.getEncoder().encodeToString(rawData) + "\""
                + ",\"subsequenceNumber\":0,\"dataId\":" + quote(dataId) + "}\n";
    }

    /** The error-output-type of records that record format conversion could not convert. */
    public static final String FORMAT_CONVERSION_FAILED = "format-conversion-failed";

    /**
     * The line AWS writes under the error prefix for a record it could not convert:
     * {@code {"attemptsMade","arrivalTimestamp","lastErrorCode","lastErrorMessage",
     * "attemptEndingTimestamp","rawData","sequenceNumber","subSequenceNumber","dataCatalogTable"}}.
     */
    public static String formatLine(long arrivalMillis, String errorCode, String errorMessage, long endingMillis,
                                    byte[] rawData, String sequenceNumber, String dataCatalogTableJson) {
        return "{\"attemptsMade\":1,\"arrivalTimestamp\":" + arrivalMillis + ",\"lastErrorCode\":"
                + quote(errorCode) + ",\"lastErrorMessage\":" + quote(errorMessage) + ",\"attemptEndingTimestamp\":"
                + endingMillis + ",\"rawData\":\"" + Base64.getEncoder().encodeToString(rawData) + "\""
                + ",\"sequenceNumber\":" + quote(sequenceNumber) + ",\"subSequenceNumber\":0,\"dataCatalogTable\":"
                + dataCatalogTableJson + "}\n";
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
