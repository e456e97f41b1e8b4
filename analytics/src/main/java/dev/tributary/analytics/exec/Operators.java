package dev.tributary.analytics.exec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The push operators a pump is built from. None is thread-safe: a runtime drives them from one thread. */
final class Operators {
    private Operators() {
    }

    static Object[] evalAll(List<Ev> evs, Object[] values, long rowtime) {
        Object[] out = new Object[evs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = evs.get(i).eval(values, rowtime);
        }
        return out;
    }

    /** WHERE then the select list. */
    static final class FilterProject implements Sink {
        private final Ev where;
        private final List<Ev> projections;
        private final Sink out;

        FilterProject(Ev where, List<Ev> projections, Sink out) {
            this.where = where;
            this.projections = projections;
            this.out = out;
        }

        @Override
        public void row(Object[] values, long rowtime) {
            if (where != null && !Boolean.TRUE.equals(where.eval(values, rowtime))) {
                return;
            }
            out.row(projections == null ? values : evalAll(projections, values, rowtime), rowtime);
        }

        @Override
        public void tick(long time) {
            out.tick(time);
        }
    }

    /** Stream-to-table join against an in-memory reference table (inner or left outer). */
    static final class TableJoin implements Sink {
        private final List<Object[]> table;
        private final int leftWidth;
        private final int rightWidth;
        private final Ev on;
        private final boolean leftOuter;
        private final Sink out;

        TableJoin(List<Object[]> table, int leftWidth, int rightWidth, Ev on, boolean leftOuter, Sink out) {
            this.table = table;
            this.leftWidth = leftWidth;
            this.rightWidth = rightWidth;
            this.on = on;
            this.leftOuter = leftOuter;
            this.out = out;
        }

        @Override
        public void row(Object[] values, long rowtime) {
            boolean matched = false;
            for (Object[] right : table) {
                Object[] joined = Arrays.copyOf(values, leftWidth + rightWidth);
                System.arraycopy(right, 0, joined, leftWidth, rightWidth);
                if (Boolean.TRUE.equals(on.eval(joined, rowtime))) {
                    matched = true;
                    out.row(joined, rowtime);
                }
            }
            if (!matched && leftOuter) {
                out.row(Arrays.copyOf(values, leftWidth + rightWidth), rowtime);
            }
        }

        @Override
        public void tick(long time) {
            out.tick(time);
        }
    }

    /**
     * Tumbling-window GROUP BY over a monotonic key ({@code STEP(ROWTIME BY ...)} or
     * {@code FLOOR(ROWTIME TO unit)}). Groups of a window are emitted, in the order they were first
     * seen, when a row of a later window arrives or time passes the window's end; each output row's
     * ROWTIME is the window's end (the rows documented on KDA's stagger-window page).
     */
    static final class TumblingAggregate implements Sink {
        private final List<Ev> keys;
        private final int monotonicKey;
        private final long windowMillis;
        private final List<Accumulator.Spec> aggregates;
        private final Sink out;
        private final Map<List<Object>, Accumulator[]> groups = new LinkedHashMap<>();
        private long windowStart = Long.MIN_VALUE;

        TumblingAggregate(List<Ev> keys, int monotonicKey, long windowMillis, List<Accumulator.Spec> aggregates, Sink out) {
            this.keys = keys;
            this.monotonicKey = monotonicKey;
            this.windowMillis = windowMillis;
            this.aggregates = aggregates;
            this.out = out;
        }

        @Override
        public void row(Object[] values, long rowtime) {
            Object[] key = evalAll(keys, values, rowtime);
            Object mono = key[monotonicKey];
            long start = mono instanceof dev.tributary.analytics.SqlTimestamp ts ? ts.millis() : ((Number) mono).longValue();
            if (start != windowStart) {
                flush();
                windowStart = start;
            }
            Accumulator[] accs = groups.computeIfAbsent(Arrays.asList(key), k -> create(aggregates));
            for (Accumulator a : accs) {
                a.add(values, rowtime);
            }
        }

        @Override
        public void tick(long time) {
            if (!groups.isEmpty() && time >= windowStart + windowMillis) {
                flush();
            }
            out.tick(time);
        }

        private void flush() {
            long end = windowStart + windowMillis;
            List<Map.Entry<List<Object>, Accumulator[]>> done = new ArrayList<>(groups.entrySet());
            groups.clear();
            for (Map.Entry<List<Object>, Accumulator[]> g : done) {
                out.row(result(g.getKey(), g.getValue()), end);
            }
        }
    }

    static Accumulator[] create(List<Accumulator.Spec> specs) {
        Accumulator[] accs = new Accumulator[specs.size()];
        for (int i = 0; i < accs.length; i++) {
            accs[i] = specs.get(i).create();
        }
        return accs;
    }

    static Object[] result(List<Object> key, Accumulator[] accs) {
        Object[] row = new Object[key.size() + accs.length];
        for (int i = 0; i < key.size(); i++) {
            row[i] = key.get(i);
        }
        for (int i = 0; i < accs.length; i++) {
            row[key.size() + i] = accs[i].result();
        }
        return row;
    }

    /**
     * {@code WINDOWED BY STAGGER}: a window per partition key opens at the ROWTIME of the key's first
     * row and closes after the range; its output row carries ROWTIME = open time + range.
     */
    static final class StaggerAggregate implements Sink {
        private final List<Ev> keys;
        private final long rangeMillis;
        private final List<Accumulator.Spec> aggregates;
        private final Sink out;
        private final Map<List<Object>, Window> open = new LinkedHashMap<>();

        private record Window(long opened, Accumulator[] accs) {
        }

        StaggerAggregate(List<Ev> keys, long rangeMillis, List<Accumulator.Spec> aggregates, Sink out) {
            this.keys = keys;
            this.rangeMillis = rangeMillis;
            this.aggregates = aggregates;
            this.out = out;
        }

        @Override
        public void row(Object[] values, long rowtime) {
            close(rowtime);
            List<Object> key = Arrays.asList(evalAll(keys, values, rowtime));
            Window w = open.computeIfAbsent(key, k -> new Window(rowtime, create(aggregates)));
            for (Accumulator a : w.accs()) {
                a.add(values, rowtime);
            }
        }

        @Override
        public void tick(long time) {
            close(time);
            out.tick(time);
        }

        private void close(long time) {
            Iterator<Map.Entry<List<Object>, Window>> it = open.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<List<Object>, Window> e = it.next();
                long end = e.getValue().opened() + rangeMillis;
                if (end > time) {
                    break; // windows open in order and share one range, so they close in order
                }
                it.remove();
                out.row(result(e.getKey(), e.getValue().accs()), end);
            }
        }
    }

    /**
     * Sliding windows ({@code OVER ... RANGE INTERVAL ... PRECEDING} or {@code ROWS n PRECEDING}):
     * one output row per input row, the row's values followed by one value per windowed aggregate.
     */
    static final class Sliding implements Sink {
        /** One window definition and the aggregates computed over it (their output slots). */
        record Window(List<Ev> partition, long rangeMillis, long rows, List<Accumulator.Spec> aggregates, int[] slots) {
        }

        private record Held(Object[] values, long rowtime) {
        }

        private final int inputWidth;
        private final int outputWidth;
        private final List<Window> windows;
        private final List<Map<List<Object>, ArrayDeque<Held>>> state = new ArrayList<>();
        private final Sink out;

        Sliding(int inputWidth, int outputWidth, List<Window> windows, Sink out) {
            this.inputWidth = inputWidth;
            this.outputWidth = outputWidth;
            this.windows = windows;
            this.out = out;
            for (int i = 0; i < windows.size(); i++) {
                state.add(new HashMap<>());
            }
        }

        @Override
        public void row(Object[] values, long rowtime) {
            Object[] extended = Arrays.copyOf(values, outputWidth);
            for (int w = 0; w < windows.size(); w++) {
                Window win = windows.get(w);
                List<Object> key = Arrays.asList(evalAll(win.partition(), values, rowtime));
                ArrayDeque<Held> deque = state.get(w).computeIfAbsent(key, k -> new ArrayDeque<>());
                deque.addLast(new Held(Arrays.copyOf(values, inputWidth), rowtime));
                if (win.rangeMillis() >= 0) {
                    // KDA's sliding-window page: at t7 a 5-second window no longer holds the row of t2.
                    while (!deque.isEmpty() && deque.peekFirst().rowtime() <= rowtime - win.rangeMillis()
                            && deque.peekFirst().rowtime() != rowtime) {
                        deque.removeFirst();
                    }
                } else {
                    while (deque.size() > win.rows() + 1) {
                        deque.removeFirst();
                    }
                }
                Accumulator[] accs = create(win.aggregates());
                for (Held h : deque) {
                    for (Accumulator a : accs) {
                        a.add(h.values(), h.rowtime());
                    }
                }
                for (int i = 0; i < accs.length; i++) {
                    extended[win.slots()[i]] = accs[i].result();
                }
            }
            out.row(extended, rowtime);
        }

        @Override
        public void tick(long time) {
            out.tick(time);
        }
    }

    /** {@code TOP_K_ITEMS_TUMBLING}: per tumbling window, the k most frequent values of a column. */
    static final class TopKTumbling implements Sink {
        private final int column;
        private final int k;
        private final long windowMillis;
        private final Sink out;
        private final Map<Object, long[]> counts = new LinkedHashMap<>();
        private long windowStart = Long.MIN_VALUE;

        TopKTumbling(int column, int k, long windowMillis, Sink out) {
            this.column = column;
            this.k = k;
            this.windowMillis = windowMillis;
            this.out = out;
        }

        @Override
        public void row(Object[] values, long rowtime) {
            long start = Math.floorDiv(rowtime, windowMillis) * windowMillis;
            if (start != windowStart) {
                flush();
                windowStart = start;
            }
            Object v = values[column];
            if (v != null) {
                counts.computeIfAbsent(v, x -> new long[1])[0]++;
            }
        }

        @Override
        public void tick(long time) {
            if (!counts.isEmpty() && time >= windowStart + windowMillis) {
                flush();
            }
            out.tick(time);
        }

        private void flush() {
            List<Map.Entry<Object, long[]>> ranked = new ArrayList<>(counts.entrySet());
            counts.clear();
            ranked.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
            for (int i = 0; i < Math.min(k, ranked.size()); i++) {
                out.row(new Object[] {ranked.get(i).getKey(), ranked.get(i).getValue()[0]}, windowStart + windowMillis);
            }
        }
    }
}
