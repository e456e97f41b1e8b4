package dev.tributary.firehose;

import dev.tributary.firehose.processing.Processing;
import dev.tributary.firehose.s3.Compression;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * Where and how a delivery stream writes its objects: the S3 side of its destination.
 *
 * @param streamName     the delivery stream's name, the first part of each object name
 * @param version        the delivery stream's version (1, then +1 per configuration change)
 * @param bucket         the bucket objects go to
 * @param prefix         the {@code Prefix}, expressions not yet evaluated; null for none
 * @param errorPrefix    the {@code ErrorOutputPrefix}; null for none
 * @param bufferBytes    flush once this many bytes (before compression) are buffered; positive
 * @param interval       flush once the oldest buffered record is this old; zero flushes on every tick
 * @param compression    the object format
 * @param fileExtension  overrides the compression's extension when not null
 * @param zone           the zone of the time prefix and object name ({@code CustomTimeZone}, else UTC)
 * @param processing     what is done to each record before it is buffered ({@link Processing#NONE} for nothing)
 * @param http           an HTTP endpoint destination: buffers are sent there, and the S3 fields above
 *                       say where failed (and, with AllData, all) records go; null for S3
 * @param backup         source record backup ({@code S3BackupMode} Enabled of ExtendedS3): records as
 *                       they were put, before processing, written with this spec's bucket, prefix,
 *                       hints and compression; null for none
 * @param format         record format conversion of the objects (not of error or backup objects); null for none
 */
public record DeliverySpec(String streamName, long version, String bucket, String prefix, String errorPrefix,
                           long bufferBytes, Duration interval, Compression compression, String fileExtension,
                           ZoneId zone, Processing processing, HttpTarget http, DeliverySpec backup,
                           RecordFormat format) {
    public DeliverySpec {
        Objects.requireNonNull(processing, "processing");
        Objects.requireNonNull(streamName, "streamName");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(zone, "zone");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1: " + version);
        }
        if (bufferBytes < 1) {
            throw new IllegalArgumentException("bufferBytes must be positive: " + bufferBytes);
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative: " + interval);
        }
    }

    /** A spec without format conversion. */
    public DeliverySpec(String streamName, long version, String bucket, String prefix, String errorPrefix,
                        long bufferBytes, Duration interval, Compression compression, String fileExtension,
                        ZoneId zone, Processing processing, HttpTarget http, DeliverySpec backup) {
        this(streamName, version, bucket, prefix, errorPrefix, bufferBytes, interval, compression, fileExtension, zone,
                processing, http, backup, null);
    }

    /** An S3 spec without backup. */
    public DeliverySpec(String streamName, long version, String bucket, String prefix, String errorPrefix,
                        long bufferBytes, Duration interval, Compression compression, String fileExtension,
                        ZoneId zone, Processing processing) {
        this(streamName, version, bucket, prefix, errorPrefix, bufferBytes, interval, compression, fileExtension, zone,
                processing, null, null);
    }

    /** A spec without processors. */
    public DeliverySpec(String streamName, long version, String bucket, String prefix, String errorPrefix,
                        long bufferBytes, Duration interval, Compression compression, String fileExtension,
                        ZoneId zone) {
        this(streamName, version, bucket, prefix, errorPrefix, bufferBytes, interval, compression, fileExtension, zone,
                Processing.NONE);
    }

    /** The extension object names end with. */
    public String extension() {
        if (fileExtension != null) {
            return fileExtension;
        }
        return format != null ? format.extension() : compression.extension();
    }
}
