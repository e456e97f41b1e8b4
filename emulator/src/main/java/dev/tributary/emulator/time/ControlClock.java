package dev.tributary.emulator.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The clock every time-dependent part of the emulator reads: real time by default, which a test
 * can move forward (an offset on top of real time) or pin to a fixed instant. Moving it makes
 * iterators expire, stream state transitions complete and retention apply without sleeping.
 * Time never moves backwards through this class: {@link #advance} rejects negative durations and
 * {@link #pin} refuses an instant before now.
 *
 * <p>Thread-safe: the state is one immutable snapshot behind a volatile field.
 */
public final class ControlClock extends Clock {
    private record State(Duration offset, Instant pinned) {
    }

    private final Clock base;
    private volatile State state = new State(Duration.ZERO, null);

    public ControlClock(Clock base) {
        this.base = base;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the control clock is always UTC");
    }

    @Override
    public Instant instant() {
        State s = state;
        return s.pinned != null ? s.pinned : base.instant().plus(s.offset);
    }

    @Override
    public long millis() {
        State s = state;
        return s.pinned != null ? s.pinned.toEpochMilli() : base.millis() + s.offset.toMillis();
    }

    /** Moves time forward by {@code by} (pinned or not). */
    public synchronized void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + by);
        }
        State s = state;
        state = s.pinned != null ? new State(s.offset, s.pinned.plus(by)) : new State(s.offset.plus(by), null);
    }

    /** Stops time at {@code at} (which must not be before now) until {@link #unpin} or {@link #advance}. */
    public synchronized void pin(Instant at) {
        if (at.isBefore(instant())) {
            throw new IllegalArgumentException("time only moves forward: " + at + " is before " + instant());
        }
        state = new State(state.offset, at);
    }

    /** Lets time run again from the pinned instant (keeping the offset that makes it continuous). */
    public synchronized void unpin() {
        State s = state;
        if (s.pinned != null) {
            state = new State(Duration.between(base.instant(), s.pinned), null);
        }
    }

    public boolean isPinned() {
        return state.pinned != null;
    }

    /** How far this clock is ahead of the base clock (for a pinned clock, at this moment). */
    public Duration offset() {
        return Duration.between(base.instant(), instant());
    }
}
