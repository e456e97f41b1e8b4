package dev.tributary.store.api;

/** A split, merge or reshard that would break the stream's key-space partition. */
public class InvalidTopologyException extends StoreException {
    private static final long serialVersionUID = 1L;

    public InvalidTopologyException(String message) {
        super(message);
    }

    public InvalidTopologyException(String message, Throwable cause) {
        super(message, cause);
    }
}
