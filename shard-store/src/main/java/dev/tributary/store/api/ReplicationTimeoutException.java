package dev.tributary.store.api;

/**
 * An {@link Acks#ALL} append is in the leader's log but the in-sync replicas did not all copy it
 * within the acknowledgement timeout. It may still become visible (like Kafka's
 * {@code REQUEST_TIMED_OUT}); the caller must treat it as not acknowledged.
 */
public class ReplicationTimeoutException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ReplicationTimeoutException(String message) {
        super(message);
    }
}
