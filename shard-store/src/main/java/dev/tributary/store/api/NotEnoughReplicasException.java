package dev.tributary.store.api;

/**
 * An {@link Acks#ALL} append was refused because the shard's in-sync replica set is smaller than
 * the configured minimum. Nothing was written; retrying later may succeed.
 */
public class NotEnoughReplicasException extends StoreException {
    private static final long serialVersionUID = 1L;

    public NotEnoughReplicasException(String message) {
        super(message);
    }
}
