package dev.tributary.store.api;

/** A stream of that name already exists. */
public class StreamExistsException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StreamExistsException(String message) {
        super(message);
    }

    public StreamExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
