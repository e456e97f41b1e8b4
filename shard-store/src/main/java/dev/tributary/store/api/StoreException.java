package dev.tributary.store.api;

/** Base of every error the store raises. Unchecked; front ends translate them to their own error names. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
