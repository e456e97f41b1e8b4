package dev.tributary.store.api;

/** An I/O failure of the underlying storage; the operation did not take effect. */
public class StorageException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
