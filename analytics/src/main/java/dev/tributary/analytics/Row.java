package dev.tributary.analytics;

import java.util.Arrays;
import java.util.List;

/**
 * One row of an in-application stream: its ROWTIME (epoch millis) and its column values, in the
 * stream's column order. Values are String, Long (all integer types), Float (REAL), Double,
 * BigDecimal, Boolean, {@link SqlTimestamp}, or null. Treat the array as read-only.
 */
public record Row(long rowtime, Object[] values) {
    public Object get(int i) {
        return values[i];
    }

    public List<Object> asList() {
        return Arrays.asList(values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row r && r.rowtime == rowtime && Arrays.equals(r.values, values);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(rowtime) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return new SqlTimestamp(rowtime) + " " + Arrays.toString(values);
    }
}
