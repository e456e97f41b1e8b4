package dev.tributary.analytics.sql;

/**
 * Application code that does not parse or validate. Carries the 1-based line and column of the
 * offending token (0 when the error is not tied to a position); the emulator turns it into
 * Kinesis Analytics' {@code CodeValidationException}.
 */
public final class SqlException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;
    private final String detail;

    public SqlException(int line, int column, String detail) {
        super(line > 0 ? "SQL error at line " + line + ", column " + column + ": " + detail : detail);
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    public SqlException(String detail) {
        this(0, 0, detail);
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String detail() {
        return detail;
    }
}
