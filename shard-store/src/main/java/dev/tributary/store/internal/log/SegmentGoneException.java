package dev.tributary.store.internal.log;

/**
 * A reader reached a segment that retention (or stream deletion) removed while it was reading.
 * Internal: the shard log catches it and resumes from the new start offset.
 */
final class SegmentGoneException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SegmentGoneException(long baseOffset) {
        super("segment " + baseOffset + " was deleted", null, false, false);
    }
}
