package dev.tributary.analytics;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** A SQL TIMESTAMP value: milliseconds since the epoch, rendered in UTC as KDA does. */
public record SqlTimestamp(long millis) implements Comparable<SqlTimestamp> {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    public static SqlTimestamp of(LocalDateTime utc) {
        return new SqlTimestamp(utc.toInstant(ZoneOffset.UTC).toEpochMilli());
    }

    public LocalDateTime toLocalDateTime() {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    public SqlTimestamp plus(long deltaMillis) {
        return new SqlTimestamp(millis + deltaMillis);
    }

    @Override
    public int compareTo(SqlTimestamp o) {
        return Long.compare(millis, o.millis);
    }

    /** {@code yyyy-MM-dd HH:mm:ss.SSS}, the form KDA writes to destinations. */
    @Override
    public String toString() {
        return FORMAT.format(toLocalDateTime());
    }
}
