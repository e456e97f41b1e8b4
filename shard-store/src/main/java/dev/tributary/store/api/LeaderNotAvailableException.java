package dev.tributary.store.api;

/**
 * The shard has no live leader (every in-sync replica's node is stopped and unclean election is
 * off), or the leader's node stopped while the call ran. Nothing was acknowledged; retry later.
 */
public class LeaderNotAvailableException extends StoreException {
    private static final long serialVersionUID = 1L;

    public LeaderNotAvailableException(String message) {
        super(message);
    }
}
