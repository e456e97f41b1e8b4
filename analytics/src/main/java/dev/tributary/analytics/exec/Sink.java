package dev.tributary.analytics.exec;

/** A push-based operator input: rows in ROWTIME order, and time progress ("rowtime bounds"). */
interface Sink {
    void row(Object[] values, long rowtime);

    /** No row with a ROWTIME below {@code time} will arrive any more: close what ends by then. */
    void tick(long time);
}
