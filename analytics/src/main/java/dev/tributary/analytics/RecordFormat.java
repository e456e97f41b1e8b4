package dev.tributary.analytics;

/**
 * How source records are laid out: KDA's {@code RecordFormat}. For JSON, {@code rowPath} is the
 * {@code RecordRowPath} (e.g. {@code $}); for CSV, the column and row delimiters.
 */
public record RecordFormat(Type type, String rowPath, String columnDelimiter, String rowDelimiter) {
    public enum Type { JSON, CSV }

    public RecordFormat {
        if (type == null) {
            throw new IllegalArgumentException("record format type is required");
        }
        rowPath = rowPath == null || rowPath.isEmpty() ? "$" : rowPath;
        columnDelimiter = columnDelimiter == null || columnDelimiter.isEmpty() ? "," : columnDelimiter;
        rowDelimiter = rowDelimiter == null || rowDelimiter.isEmpty() ? "\n" : rowDelimiter;
    }

    public static RecordFormat json(String rowPath) {
        return new RecordFormat(Type.JSON, rowPath, null, null);
    }

    public static RecordFormat csv(String columnDelimiter, String rowDelimiter) {
        return new RecordFormat(Type.CSV, null, columnDelimiter, rowDelimiter);
    }
}
