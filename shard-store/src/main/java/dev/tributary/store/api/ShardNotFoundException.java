package dev.tributary.store.api;

/** The stream has no shard of that index. */
public class ShardNotFoundException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ShardNotFoundException(String message) {
        super(message);
    }

    public ShardNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
