package dev.tributary.emulator.control;

import dev.tributary.emulator.protocol.AwsErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Faults injected from the test-control API into AWS API requests: an error by name, latency, or
 * both, on a service, an operation and/or a stream, for the next N matching calls or with a seeded
 * probability. Checked by the dispatcher after a request is decoded and validated, before the
 * operation runs, so an injected error never has half an effect.
 *
 * <p>Thread-safe.
 */
public final class Faults {

    /**
     * One rule. Null matchers match anything.
     *
     * @param calls       matching calls left, or -1 for unlimited (use with a probability)
     * @param probability chance that a matching call is hit, 0..1 (1 = every call)
     * @param error       the AWS error to answer with, or null for latency only
     */
    public record Rule(long id, String service, String operation, String stream, AwsErrorCode error, String message,
                       long latencyMillis, double probability, long seed, AtomicInteger calls, Random random) {

        boolean matches(String svc, String op, String streamName) {
            return (service == null || service.equals(svc)) && (operation == null || operation.equals(op))
                    && (stream == null || stream.equals(streamName));
        }

        /** Decides whether this call is hit, consuming one of the remaining calls if so. */
        synchronized boolean hit() {
            if (calls.get() == 0) {
                return false;
            }
            if (probability < 1 && random.nextDouble() >= probability) {
                return false;
            }
            if (calls.get() > 0) {
                calls.decrementAndGet();
            }
            return true;
        }

        /** A JSON-friendly view for listing. */
        public Map<String, Object> view() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("id", id);
            if (service != null) {
                m.put("service", service);
            }
            if (operation != null) {
                m.put("operation", operation);
            }
            if (stream != null) {
                m.put("streamName", stream);
            }
            if (error != null) {
                m.put("error", error.code());
            }
            if (latencyMillis > 0) {
                m.put("latencyMillis", latencyMillis);
            }
            m.put("probability", probability);
            m.put("callsLeft", calls.get());
            return m;
        }
    }

    /** What to do with a call: nothing, wait, fail, or both. */
    public record Hit(long latencyMillis, AwsErrorCode error, String message) {
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    public Rule add(String service, String operation, String stream, AwsErrorCode error, String message,
                    long latencyMillis, int calls, double probability, long seed) {
        if (error == null && latencyMillis <= 0) {
            throw new IllegalArgumentException("a fault needs an error or a latency");
        }
        if (probability <= 0 || probability > 1) {
            throw new IllegalArgumentException("probability must be in (0, 1]: " + probability);
        }
        Rule r = new Rule(ids.incrementAndGet(), service, operation, stream, error, message, latencyMillis,
                probability, seed, new AtomicInteger(calls), new Random(seed));
        rules.add(r);
        return r;
    }

    /** True when no rule is set: the common case, checked on hot paths. */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    public List<Rule> list() {
        return new ArrayList<>(rules);
    }

    public void clear() {
        rules.clear();
    }

    /** The first rule that hits this call, or null. Exhausted rules are dropped. */
    public Hit check(String service, String operation, String stream) {
        if (rules.isEmpty()) {
            return null;
        }
        for (Rule r : rules) {
            if (r.matches(service, operation, stream) && r.hit()) {
                if (r.calls().get() == 0) {
                    rules.remove(r);
                }
                return new Hit(r.latencyMillis(), r.error(), r.message());
            }
        }
        return null;
    }
}
