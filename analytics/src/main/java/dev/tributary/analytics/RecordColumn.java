package dev.tributary.analytics;

/**
 * One column of an input or reference schema: KDA's {@code RecordColumn}. {@code mapping} is a
 * JSONPath such as {@code $.TICKER_SYMBOL} or {@code $.a.b[0]} for JSON (defaulting to
 * {@code $.<name>}); CSV columns map in order and ignore it.
 */
public record RecordColumn(String name, String sqlType, String mapping) {
    public RecordColumn {
        if (name == null || name.isEmpty() || sqlType == null || sqlType.isEmpty()) {
            throw new IllegalArgumentException("record column needs a name and a SQL type");
        }
    }
}
