package dev.tributary.store.api;

/** A read asked for an offset outside [startOffset, endOffset]. */
public class OffsetOutOfRangeException extends StoreException {
    private static final long serialVersionUID = 1L;

    public OffsetOutOfRangeException(String message) {
        super(message);
    }

    public OffsetOutOfRangeException(String message, Throwable cause) {
        super(message, cause);
    }
}
