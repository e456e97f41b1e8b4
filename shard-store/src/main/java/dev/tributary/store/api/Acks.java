package dev.tributary.store.api;

/**
 * When an append is acknowledged on a replicated shard.
 *
 * <p>On a shard with one replica every policy means the same: the record is in the leader's log.
 */
public enum Acks {
    /** As soon as the leader has accepted it; the caller does not wait for the leader's write either
     *  way, so a failure is only visible in the leader's log (Kafka {@code acks=0}). */
    NONE,
    /** Once it is in the leader's log (Kafka {@code acks=1}); lost if the leader fails before a
     *  follower copied it. */
    LEADER,
    /** Once every in-sync replica has it, i.e. the high watermark passed it (Kafka {@code acks=all});
     *  refused with {@link NotEnoughReplicasException} while the in-sync set is smaller than the
     *  minimum. What Kinesis uses. */
    ALL
}
