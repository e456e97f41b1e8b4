package dev.tributary.store.api;

/** Stored data failed its checks in a way recovery cannot repair (e.g. corrupt stream metadata). */
public class CorruptStoreException extends StoreException {
    private static final long serialVersionUID = 1L;

    public CorruptStoreException(String message) {
        super(message);
    }

    public CorruptStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
