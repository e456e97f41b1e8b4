package dev.tributary.analytics.exec;

/**
 * A row-level failure (division by zero, a value that cannot be coerced, ...). The row goes to the
 * in-application {@code error_stream} instead of the target stream, as in KDA.
 */
public final class SqlRuntimeError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String errorName;

    public SqlRuntimeError(String errorName, String message) {
        super(message, null, false, false);
        this.errorName = errorName;
    }

    public String errorName() {
        return errorName;
    }
}
