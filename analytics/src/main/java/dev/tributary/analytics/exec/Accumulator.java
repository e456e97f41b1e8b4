package dev.tributary.analytics.exec;

import java.util.HashSet;
import java.util.Set;

/** State of one aggregate (COUNT, SUM, AVG, MIN, MAX) over one group or window. */
final class Accumulator {
    enum Kind { COUNT, SUM, AVG, MIN, MAX }

    /** What to aggregate: the kind, the argument (null for COUNT(*)), DISTINCT. */
    record Spec(Kind kind, Ev arg, boolean distinct) {
        Accumulator create() {
            return new Accumulator(this);
        }
    }

    private final Spec spec;
    private long count;
    private Object sum;
    private Object extreme;
    private Set<Object> seen;

    Accumulator(Spec spec) {
        this.spec = spec;
    }

    void add(Object[] values, long rowtime) {
        if (spec.arg() == null) {
            count++;
            return;
        }
        Object v = spec.arg().eval(values, rowtime);
        if (v == null) {
            return;
        }
        if (spec.distinct()) {
            if (seen == null) {
                seen = new HashSet<>();
            }
            if (!seen.add(v instanceof Number n && !(v instanceof Long) ? (Object) n.doubleValue() : v)) {
                return;
            }
        }
        count++;
        switch (spec.kind()) {
            case SUM, AVG -> sum = sum == null ? widen(v) : Values.arithmetic("+", sum, widen(v));
            case MIN -> {
                if (extreme == null || Values.compare(v, extreme) < 0) {
                    extreme = v;
                }
            }
            case MAX -> {
                if (extreme == null || Values.compare(v, extreme) > 0) {
                    extreme = v;
                }
            }
            default -> {
            }
        }
    }

    private static Object widen(Object v) {
        if (v instanceof Float f) {
            return (double) f;
        }
        if (!(v instanceof Number)) {
            throw new SqlRuntimeError("INVALID_ARGUMENT", "Cannot sum " + Values.typeName(v));
        }
        return v;
    }

    Object result() {
        return switch (spec.kind()) {
            case COUNT -> count;
            case SUM -> sum;
            case AVG -> count == 0 ? null : Values.toDouble(sum) / count;
            case MIN, MAX -> extreme;
        };
    }
}
