package dev.tributary.analytics;

import dev.tributary.analytics.exec.Engine;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A running Kinesis Data Analytics SQL application: the public face of the engine.
 * <pre>
 * Application app = Application.compile(code, Map.of("SOURCE_SQL_STREAM_001", schema), Map.of());
 * app.listen("DESTINATION_SQL_STREAM", row -> ...);
 * app.pushRecord("SOURCE_SQL_STREAM_001", json, arrivalMillis, clockMillis);
 * app.advanceTime(clockMillis);   // closes windows that ended
 * </pre>
 * Time never comes from the wall clock: ROWTIME is what the caller passes. Not thread-safe: callers
 * drive one application from one thread or under a lock.
 */
public final class Application {
    /** The in-application stream KDA fills with rows that failed. */
    public static final String ERROR_STREAM = Engine.ERROR_STREAM;

    private final Engine engine;

    private Application(Engine engine) {
        this.engine = engine;
    }

    /**
     * Parses and validates application code and wires its pumps.
     *
     * @param inputs in-application source stream name (e.g. {@code SOURCE_SQL_STREAM_001}) to schema
     * @param references in-application reference table name to content
     * @throws dev.tributary.analytics.sql.SqlException when the code does not parse or validate
     * @throws AnalyticsException when a schema is invalid
     */
    public static Application compile(String code, Map<String, InputSchema> inputs, Map<String, ReferenceTable> references) {
        return new Application(new Engine(code, inputs, references));
    }

    /** Calls {@code listener} with each row written to an in-application stream. */
    public void listen(String stream, Consumer<Row> listener) {
        engine.listen(stream, listener);
    }

    /** The visible columns of an in-application stream, or null if there is none by that name. */
    public List<Column> columns(String stream) {
        Engine.Stream s = engine.stream(stream);
        return s == null ? null : s.columns();
    }

    public List<String> streamNames() {
        return List.copyOf(engine.streams().keySet());
    }

    /** Decodes a source record and pushes its rows with ROWTIME = max(nowMillis, last ROWTIME). */
    public void pushRecord(String stream, byte[] data, long arrivalMillis, long nowMillis) {
        engine.pushRecord(stream, data, arrivalMillis, nowMillis);
    }

    /** Pushes one row with an explicit ROWTIME (raised to stay monotonic). */
    public void push(String stream, Object[] values, long rowtime) {
        engine.push(stream, values, rowtime);
    }

    /** Declares that time has reached {@code millis}: windows ending by then emit. */
    public void advanceTime(long millis) {
        engine.advanceTime(millis);
    }
}
