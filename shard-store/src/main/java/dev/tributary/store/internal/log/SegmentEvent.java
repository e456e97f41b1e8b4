package dev.tributary.store.internal.log;

import org.slf4j.Logger;

/**
 * Why a segment was rolled or deleted. Each reason is a type that owns its log line, so every
 * roll and deletion an operator sees says why it happened in the same words.
 */
sealed interface SegmentEvent {

    /** Logs the event for segment {@code base} of shard {@code shard} of {@code stream}. */
    void log(Logger log, String stream, int shard, long base);

    /** The active segment reached {@code segmentBytes}. */
    record RolledForSize(long sizeBytes, long limitBytes) implements SegmentEvent {
        @Override
        public void log(Logger log, String stream, int shard, long base) {
            log.info("segment rolled stream={} shardId={} segment={} reason=size sizeBytes={} limitBytes={}",
                    stream, shard, base, sizeBytes, limitBytes);
        }
    }

    /** The active segment's first batch is older than {@code segmentMaxAge}. */
    record RolledForAge(long ageMillis, long limitMillis) implements SegmentEvent {
        @Override
        public void log(Logger log, String stream, int shard, long base) {
            log.info("segment rolled stream={} shardId={} segment={} reason=age ageMillis={} limitMillis={}",
                    stream, shard, base, ageMillis, limitMillis);
        }
    }

    /** Every record of the segment is older than the stream's retention. */
    record DeletedByRetention(long endOffset, long cutoffMillis) implements SegmentEvent {
        @Override
        public void log(Logger log, String stream, int shard, long base) {
            log.info("segment deleted stream={} shardId={} segment={} reason=retention endOffset={} cutoffMillis={}",
                    stream, shard, base, endOffset, cutoffMillis);
        }
    }

    /** An earlier segment was found corrupt on recovery; the log was truncated before this one. */
    record DeletedAfterCorruption(long corruptSegment, long segmentBytes) implements SegmentEvent {
        @Override
        public void log(Logger log, String stream, int shard, long base) {
            log.warn("segment deleted stream={} shardId={} segment={} reason=follows-corruption corruptSegment={}"
                    + " bytesDeleted={}", stream, shard, base, corruptSegment, segmentBytes);
        }
    }

    /** Recovery cut the segment's tail at the first bad batch. */
    record TruncatedOnRecovery(long validBytes, long truncatedBytes, String cause) implements SegmentEvent {
        @Override
        public void log(Logger log, String stream, int shard, long base) {
            log.warn("segment truncated on recovery stream={} shardId={} segment={} cause=\"{}\" keptBytes={}"
                    + " truncatedBytes={}", stream, shard, base, cause, validBytes, truncatedBytes);
        }
    }
}
