package dev.tributary.store.api;

/** The shard is closed (split, merged or resharded away): it takes no more appends. */
public class ShardClosedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ShardClosedException(String message) {
        super(message);
    }

    public ShardClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
