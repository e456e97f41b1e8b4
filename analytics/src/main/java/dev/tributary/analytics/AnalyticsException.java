package dev.tributary.analytics;

/** A misconfigured input (bad SQL type name, bad JSONPath mapping) that is not SQL code. */
public final class AnalyticsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AnalyticsException(String message) {
        super(message);
    }
}
