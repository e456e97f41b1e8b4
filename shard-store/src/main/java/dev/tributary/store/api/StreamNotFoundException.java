package dev.tributary.store.api;

/** There is no stream of that name. */
public class StreamNotFoundException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StreamNotFoundException(String message) {
        super(message);
    }

    public StreamNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
