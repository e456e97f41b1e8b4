package dev.tributary.firehose;

import java.util.List;

/**
 * Record format conversion ({@code DataFormatConversionConfiguration}): turns the records of one
 * object into one file of another format (the emulator's writes JSON records as Parquet). Records
 * it cannot convert are reported by index; the engine writes them under the error prefix as
 * {@code format-conversion-failed} records and converts the rest.
 */
public interface RecordFormat {
    /** The extension of converted objects, e.g. {@code .parquet} (a {@code FileExtension} overrides it). */
    String extension();

    /**
     * The {@code dataCatalogTable} JSON object written into each failed record's error line, e.g.
     * {@code {"catalogId":null,"databaseName":"db",...}}.
     */
    String dataCatalogTableJson();

    /** Converts {@code records}; {@code object} is null when none could be converted. */
    Converted convert(List<byte[]> records);

    /** One converted object and the records that failed. */
    record Converted(byte[] object, List<Failure> failures) {
        public Converted {
            failures = List.copyOf(failures);
        }
    }

    /** A record that could not be converted: its index in the batch and why. */
    record Failure(int index, String errorCode, String errorMessage) {
    }
}
