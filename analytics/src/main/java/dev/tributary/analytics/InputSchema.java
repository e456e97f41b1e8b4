package dev.tributary.analytics;

import java.util.List;

/** KDA's {@code InputSchema} / {@code ReferenceSchema}: record format plus columns (UTF-8 only). */
public record InputSchema(RecordFormat format, List<RecordColumn> columns) {
    public InputSchema {
        if (format == null || columns == null || columns.isEmpty()) {
            throw new IllegalArgumentException("input schema needs a record format and at least one column");
        }
        columns = List.copyOf(columns);
    }
}
