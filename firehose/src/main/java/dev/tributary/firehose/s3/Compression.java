package dev.tributary.firehose.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.xerial.snappy.SnappyHadoopCompatibleOutputStream;
import org.xerial.snappy.SnappyOutputStream;

/**
 * Firehose's {@code CompressionFormat} values, each with the object-name extension and container
 * format AWS writes (probed against AWS by floci, PR floci-io/floci#2410; see
 * docs/research/firehose-analytics.md 1.2.4):
 * <ul>
 * <li>{@code UNCOMPRESSED}: no extension, the records as they are;</li>
 * <li>{@code GZIP}: {@code .gz}, one gzip member;</li>
 * <li>{@code ZIP}: {@code .zip}, one deflated entry named with a UUID;</li>
 * <li>{@code Snappy}: {@code .snappy}, the snappy-java stream format (not the official framing);</li>
 * <li>{@code HADOOP_SNAPPY}: {@code .snappy}, Hadoop's block framing.</li>
 * </ul>
 * Thread-safe (stateless).
 */
public enum Compression {
    UNCOMPRESSED("UNCOMPRESSED", ""),
    GZIP("GZIP", ".gz"),
    ZIP("ZIP", ".zip"),
    SNAPPY("Snappy", ".snappy"),
    HADOOP_SNAPPY("HADOOP_SNAPPY", ".snappy");

    private final String awsName;
    private final String extension;

    Compression(String awsName, String extension) {
        this.awsName = awsName;
        this.extension = extension;
    }

    /** The value as the API spells it, e.g. {@code Snappy}. */
    public String awsName() {
        return awsName;
    }

    /** The default object-name extension, with its dot; empty for UNCOMPRESSED. */
    public String extension() {
        return extension;
    }

    /** The compression the API names; UNCOMPRESSED for null. */
    public static Compression ofAwsName(String name) {
        if (name == null) {
            return UNCOMPRESSED;
        }
        for (Compression c : values()) {
            if (c.awsName.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown CompressionFormat " + name);
    }

    /** The object body for {@code data}: compressed in this format. Cost: one pass over the data. */
    public byte[] compress(byte[] data) {
        if (this == UNCOMPRESSED) {
            return data;
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream(Math.max(64, data.length / 2));
        try {
            switch (this) {
                case GZIP -> {
                    try (OutputStream out = new GZIPOutputStream(buf)) {
                        out.write(data);
                    }
                }
                case ZIP -> {
                    try (ZipOutputStream out = new ZipOutputStream(buf)) {
                        out.putNextEntry(new ZipEntry(UUID.randomUUID().toString()));
                        out.write(data);
                        out.closeEntry();
                    }
                }
                case SNAPPY -> {
                    try (OutputStream out = new SnappyOutputStream(buf)) {
                        out.write(data);
                    }
                }
                case HADOOP_SNAPPY -> {
                    try (OutputStream out = new SnappyHadoopCompatibleOutputStream(buf)) {
                        out.write(data);
                    }
                }
                default -> throw new IllegalStateException(name());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }
}
