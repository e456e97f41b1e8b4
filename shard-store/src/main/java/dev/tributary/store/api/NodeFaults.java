package dev.tributary.store.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Faults injected into one node, for tests and experiments.
 *
 * @param diskDelay     added to every write and fsync of the node's replicas (a slow disk)
 * @param diskFailing   every write of the node fails: its replicas go offline as a failed log
 *                      directory does in Kafka, and leadership moves away
 * @param replicationCut the node's follower replicas stop copying from their leaders (a network cut);
 *                      they fall behind and leave the in-sync sets once past the lag bound
 */
public record NodeFaults(Duration diskDelay, boolean diskFailing, boolean replicationCut) {
    public static final NodeFaults NONE = new NodeFaults(Duration.ZERO, false, false);

    public NodeFaults {
        Objects.requireNonNull(diskDelay, "diskDelay");
        if (diskDelay.isNegative()) {
            throw new IllegalArgumentException("diskDelay must not be negative: " + diskDelay);
        }
    }

    public boolean isNone() {
        return diskDelay.isZero() && !diskFailing && !replicationCut;
    }
}
