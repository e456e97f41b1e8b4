package dev.tributary.emulator.kinesis.fanout;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live SubscribeToShard subscriptions, at most one per consumer and shard, and the threads
 * that push their events: records as soon as they are appended (each subscription waits on its
 * shard's {@code awaitAppend}), an empty event after 5 s without one, and the end of a
 * subscription after 5 minutes, both measured on the injected clock and checked every 100 ms.
 *
 * <p>Thread-safe.
 */
public final class FanOut implements AutoCloseable {
    static final long HEARTBEAT_MILLIS = 5_000;
    static final long LIFETIME_MILLIS = 300_000;
    /** A new subscription may take over an existing one only once that one is this old. */
    static final long TAKEOVER_AFTER_MILLIS = 5_000;

    private final Clock clock;
    private final Map<String, Subscription> active = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;
    private final ExecutorService pumps;
    private final java.util.concurrent.atomic.AtomicLong budgetWaits = new java.util.concurrent.atomic.AtomicLong();

    public FanOut(Clock clock) {
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.pumps = Executors.newCachedThreadPool(r -> daemon(r, "tributary-fanout-" + n.incrementAndGet()));
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "tributary-fanout-ticker"));
        ticker.scheduleWithFixedDelay(this::tick, 100, 100, TimeUnit.MILLISECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Times a subscription stopped to wait for its 2 MiB/s budget; a metric, and a signal for tests. */
    public long budgetWaits() {
        return budgetWaits.get();
    }

    void budgetWait() {
        budgetWaits.incrementAndGet();
    }

    Clock clock() {
        return clock;
    }

    ExecutorService pumps() {
        return pumps;
    }

    /**
     * Registers a subscription for its consumer and shard. An existing one younger than 5 s makes
     * this fail (returns it); an older one is taken over: it ends with ResourceInUseException.
     *
     * @return null when registered, else the subscription that blocks it
     */
    public synchronized Subscription register(Subscription next) {
        Subscription current = active.get(next.key());
        if (current != null && current.isLive()) {
            if (clock.millis() - current.startedMillis() < TAKEOVER_AFTER_MILLIS) {
                return current;
            }
            current.takenOver();
        }
        active.put(next.key(), next);
        return null;
    }

    synchronized void unregister(Subscription s) {
        active.remove(s.key(), s);
    }

    private void tick() {
        long now = clock.millis();
        for (Subscription s : active.values()) {
            try {
                s.tick(now);
            } catch (RuntimeException e) {
                s.fail(e);
            }
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        active.values().forEach(Subscription::end);
        pumps.shutdownNow();
    }
}
