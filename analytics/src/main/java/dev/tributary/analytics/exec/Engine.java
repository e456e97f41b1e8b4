package dev.tributary.analytics.exec;

import dev.tributary.analytics.Column;
import dev.tributary.analytics.InputSchema;
import dev.tributary.analytics.ReferenceTable;
import dev.tributary.analytics.Row;
import dev.tributary.analytics.SqlTimestamp;
import dev.tributary.analytics.sql.Ast;
import dev.tributary.analytics.sql.Ast.Expr;
import dev.tributary.analytics.sql.Parser;
import dev.tributary.analytics.sql.SqlException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A compiled application: its in-application streams, the pumps between them, and the push
 * operators of each pump. Not thread-safe: one thread (or a lock held by the caller) drives it.
 */
public final class Engine {
    public static final String ERROR_STREAM = "error_stream";
    public static final String APPROXIMATE_ARRIVAL_TIME = "APPROXIMATE_ARRIVAL_TIME";

    /** An in-application stream: schema, subscribers, listeners and the last ROWTIME seen. */
    public final class Stream {
        final String name;
        final List<Column> columns;
        final int hiddenColumns;
        final List<Sink> subscribers = new ArrayList<>();
        final List<Consumer<Row>> listeners = new ArrayList<>();
        long lastRowtime = Long.MIN_VALUE;
        long lastTick = Long.MIN_VALUE;

        Stream(String name, List<Column> columns, int hiddenColumns) {
            this.name = name;
            this.columns = List.copyOf(columns);
            this.hiddenColumns = hiddenColumns;
        }

        public String name() {
            return name;
        }

        /** The visible columns (the source stream's APPROXIMATE_ARRIVAL_TIME is hidden from {@code *}). */
        public List<Column> columns() {
            return columns.subList(0, columns.size() - hiddenColumns);
        }

        void emit(Object[] values, long rowtime) {
            lastRowtime = Math.max(lastRowtime, rowtime);
            for (Sink s : subscribers) {
                s.row(values, rowtime);
            }
            if (!listeners.isEmpty()) {
                Row row = new Row(rowtime, values.length == columns.size() - hiddenColumns ? values
                        : java.util.Arrays.copyOf(values, columns.size() - hiddenColumns));
                for (Consumer<Row> l : listeners) {
                    l.accept(row);
                }
            }
        }

        void tick(long time) {
            if (time <= lastTick) {
                return;
            }
            lastTick = time;
            for (Sink s : subscribers) {
                s.tick(time);
            }
        }
    }

    private final Map<String, Stream> streams = new LinkedHashMap<>();
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Map<String, RecordDecoder> decoders = new LinkedHashMap<>();
    private final List<String> pumps = new ArrayList<>();
    private long now = Long.MIN_VALUE;

    private record Table(String name, List<Column> columns, List<Object[]> rows) {
    }

    /**
     * Compiles application code against its source streams (in-application name -> schema) and
     * reference tables (in-application name -> content).
     *
     * @throws SqlException if the code does not parse or validate
     * @throws dev.tributary.analytics.AnalyticsException if a schema is invalid
     */
    public Engine(String code, Map<String, InputSchema> inputs, Map<String, ReferenceTable> references) {
        streams.put(ERROR_STREAM, new Stream(ERROR_STREAM, List.of(
                col("ERROR_TIME", "TIMESTAMP"), col("ERROR_LEVEL", "VARCHAR(10)"), col("ERROR_NAME", "VARCHAR(32)"),
                col("MESSAGE", "VARCHAR(4096)"), col("DATA_ROWTIME", "TIMESTAMP"), col("DATA_ROW", "VARCHAR(49152)"),
                col("PUMP_NAME", "VARCHAR(128)")), 0));
        inputs.forEach((name, schema) -> {
            RecordDecoder d = new RecordDecoder(schema, 1);
            List<Column> cols = new ArrayList<>(d.columns());
            cols.add(col(APPROXIMATE_ARRIVAL_TIME, "TIMESTAMP"));
            streams.put(name, new Stream(name, cols, 1));
            decoders.put(name, d);
        });
        references.forEach((name, ref) -> {
            RecordDecoder d = new RecordDecoder(ref.schema(), 0);
            List<Object[]> rows;
            try {
                rows = d.decode(ref.data());
            } catch (SqlRuntimeError e) {
                throw new dev.tributary.analytics.AnalyticsException("Reference data for " + name + " does not match its schema: " + e.getMessage());
            }
            tables.put(name, new Table(name, d.columns(), rows));
        });
        for (Ast.Statement st : Parser.parseProgram(code)) {
            if (st instanceof Ast.CreateStream cs) {
                    if (decoders.containsKey(cs.name()) || tables.containsKey(cs.name()) || cs.name().equals(ERROR_STREAM)) {
                        throw new SqlException(cs.pos().line(), cs.pos().column(), "Cannot replace '" + cs.name() + "': it is not an application stream");
                    }
                    List<Column> cols = new ArrayList<>();
                    for (Ast.ColumnDef c : cs.columns()) {
                        if (cols.stream().anyMatch(x -> x.name().equals(c.name()))) {
                            throw new SqlException(c.pos().line(), c.pos().column(), "Duplicate column name '" + c.name() + "'");
                        }
                        cols.add(new Column(c.name(), c.type()));
                    }
                streams.put(cs.name(), new Stream(cs.name(), cols, 0));
            } else {
                pump((Ast.CreatePump) st);
            }
        }
    }

    private static Column col(String name, String type) {
        return new Column(name, Parser.parseType(type));
    }

    public Map<String, Stream> streams() {
        return streams;
    }

    public List<String> pumps() {
        return pumps;
    }

    public Stream stream(String name) {
        return streams.get(name);
    }

    /** Subscribes to the rows of an in-application stream (destinations, tests). */
    public void listen(String streamName, Consumer<Row> listener) {
        Stream s = streams.get(streamName);
        if (s == null) {
            throw new IllegalArgumentException("No in-application stream " + streamName);
        }
        s.listeners.add(listener);
    }

    /** The time the runtime has reached (ROWTIME of the newest row or the last tick). */
    public long now() {
        return now;
    }

    /**
     * Ingests one source record into an input stream: decodes it per the input schema, assigns
     * ROWTIME = max(now, previous ROWTIME) so it stays monotonic, and pushes the rows. A record that
     * does not decode goes to {@code error_stream}.
     */
    public void pushRecord(String streamName, byte[] data, long arrivalMillis, long nowMillis) {
        RecordDecoder d = decoders.get(streamName);
        if (d == null) {
            throw new IllegalArgumentException("No input stream " + streamName);
        }
        long rowtime = Math.max(nowMillis, now);
        List<Object[]> rows;
        try {
            rows = d.decode(data);
        } catch (SqlRuntimeError e) {
            error(e, rowtime, new String(data, StandardCharsets.UTF_8), null);
            return;
        }
        for (Object[] r : rows) {
            r[r.length - 1] = new SqlTimestamp(arrivalMillis);
            push(streamName, r, rowtime);
        }
    }

    /** Pushes a row (values in the stream's column order) with an explicit ROWTIME. */
    public void push(String streamName, Object[] values, long rowtime) {
        Stream s = streams.get(streamName);
        if (s == null) {
            throw new IllegalArgumentException("No in-application stream " + streamName);
        }
        long t = Math.max(rowtime, Math.max(s.lastRowtime, now));
        Object[] row = values.length == s.columns.size() ? values : java.util.Arrays.copyOf(values, s.columns.size());
        now = t;
        s.emit(row, t);
    }

    /** Moves time forward: windows that end at or before {@code time} close and emit. */
    public void advanceTime(long time) {
        if (time < now) {
            return;
        }
        now = time;
        for (Stream s : streams.values()) {
            s.tick(time);
        }
    }

    private void error(SqlRuntimeError e, long rowtime, String data, String pump) {
        Stream err = streams.get(ERROR_STREAM);
        err.emit(new Object[] {new SqlTimestamp(Math.max(rowtime, now)), "ERROR", e.errorName(), e.getMessage(),
                new SqlTimestamp(rowtime), HexFormat.of().formatHex(data.getBytes(StandardCharsets.UTF_8)), pump}, rowtime);
    }

    // ---- planning

    private void pump(Ast.CreatePump cp) {
        Stream target = streams.get(cp.target());
        if (target == null || target.name.equals(ERROR_STREAM) || decoders.containsKey(cp.target())) {
            throw new SqlException(cp.pos().line(), cp.pos().column(),
                    target == null ? "Object '" + cp.target() + "' not found" : "Cannot insert into '" + cp.target() + "'");
        }
        if (pumps.contains(cp.name())) {
            throw new SqlException(cp.pos().line(), cp.pos().column(), "Pump '" + cp.name() + "' is defined twice");
        }
        pumps.add(cp.name());
        List<Column> cols = target.columns;
        String pumpName = cp.name();
        Sink insert = new Sink() {
            @Override
            public void row(Object[] values, long rowtime) {
                Object[] out = new Object[cols.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = Values.cast(values[i], cols.get(i).type());
                }
                target.emit(out, rowtime);
            }

            @Override
            public void tick(long time) {
                target.tick(time);
            }
        };
        Sink guarded = new Sink() {
            @Override
            public void row(Object[] values, long rowtime) {
                try {
                    insert.row(values, rowtime);
                } catch (SqlRuntimeError e) {
                    error(e, rowtime, java.util.Arrays.toString(values), pumpName);
                }
            }

            @Override
            public void tick(long time) {
                insert.tick(time);
            }
        };
        List<String> names = plan(cp.query(), guarded, pumpName, true);
        if (names.size() != cols.size()) {
            throw new SqlException(cp.query().pos().line(), cp.query().pos().column(), "Number of INSERT target columns ("
                    + cols.size() + ") does not equal number of source items (" + names.size() + ")");
        }
    }

    /** Routes a row that fails anywhere in a pump to error_stream, with the row the pump read. */
    private Sink guard(Sink sink, String pumpName) {
        return new Sink() {
            @Override
            public void row(Object[] values, long rowtime) {
                try {
                    sink.row(values, rowtime);
                } catch (SqlRuntimeError e) {
                    error(e, rowtime, java.util.Arrays.toString(values), pumpName);
                }
            }

            @Override
            public void tick(long time) {
                try {
                    sink.tick(time);
                } catch (SqlRuntimeError e) {
                    error(e, time, "", pumpName);
                }
            }
        };
    }

    /** The scope of a FROM item and how to feed a sink from it. */
    private record Source(Scope scope, Consumer<Sink> connect) {
    }

    /**
     * Plans a SELECT whose output goes to {@code out}; returns its output column names. Rows that
     * fail inside the pump (division by zero, coercion) go to error_stream.
     */
    private List<String> plan(Ast.Select q, Sink out, String pumpName, boolean top) {
        Source src = from(q.from(), pumpName);
        Scope in = src.scope();
        List<Ast.SelectItem> items = expandStar(q, in);
        List<String> names = outputNames(items);
        Ev where = q.where() == null ? null : Exprs.compile(q.where(), in);
        if (q.where() != null) {
            noAggregates(q.where(), "WHERE");
        }
        List<Expr> aggregateCalls = new ArrayList<>();
        List<Ast.Call> windowed = new ArrayList<>();
        for (Ast.SelectItem it : items) {
            collect(it.expr(), aggregateCalls, windowed);
        }
        if (q.having() != null) {
            collect(q.having(), aggregateCalls, windowed);
        }
        boolean grouped = !q.groupBy().isEmpty() || q.stagger() != null || !aggregateCalls.isEmpty();
        Sink head;
        if (grouped) {
            if (!windowed.isEmpty()) {
                Ast.Call c = windowed.get(0);
                throw Exprs.error(c, "Cannot mix windowed aggregates with GROUP BY");
            }
            List<Expr> keys = q.stagger() != null ? q.stagger().partitionBy() : q.groupBy();
            Scope aggScope = new Scope();
            aggScope.entries.addAll(in.entries);
            List<Ev> keyEvs = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                noAggregates(keys.get(i), "GROUP BY");
                keyEvs.add(Exprs.compile(keys.get(i), in));
                aggScope.computed.putIfAbsent(Exprs.canon(keys.get(i), in), i);
            }
            List<Accumulator.Spec> specs = new ArrayList<>();
            for (Expr e : aggregateCalls) {
                String canon = Exprs.canon(e, in);
                if (aggScope.computed.containsKey(canon)) {
                    continue;
                }
                aggScope.computed.put(canon, keys.size() + specs.size());
                specs.add(spec((Ast.Call) e, in));
            }
            aggScope.groupingError = "not grouped";
            List<Ev> projections = items.stream().map(it -> Exprs.compile(it.expr(), aggScope)).toList();
            Ev having = q.having() == null ? null : Exprs.compile(q.having(), aggScope);
            Sink project = new Operators.FilterProject(having, projections, out);
            if (q.stagger() != null) {
                head = new Operators.StaggerAggregate(keyEvs, q.stagger().rangeMillis(), specs, project);
            } else {
                int mono = -1;
                long size = -1;
                for (int i = 0; i < keys.size() && mono < 0; i++) {
                    size = windowSize(keys.get(i));
                    if (size > 0) {
                        mono = i;
                    }
                }
                if (mono < 0) {
                    Ast.Pos p = q.groupBy().isEmpty() ? q.pos() : q.groupBy().get(0).pos();
                    throw new SqlException(p.line(), p.column(), "Streaming GROUP BY needs a monotonic expression on ROWTIME, "
                            + "such as STEP(\"SOURCE_SQL_STREAM_001\".ROWTIME BY INTERVAL '60' SECOND) or FLOOR(ROWTIME TO MINUTE)");
                }
                head = new Operators.TumblingAggregate(keyEvs, mono, size, specs, project);
            }
            if (where != null) {
                head = new Operators.FilterProject(where, null, head);
            }
        } else if (!windowed.isEmpty()) {
            int width = in.width();
            Scope ext = new Scope();
            ext.entries.addAll(in.entries);
            Map<Ast.WindowSpec, List<Ast.Call>> byWindow = new LinkedHashMap<>();
            for (Ast.Call c : windowed) {
                Ast.WindowSpec w = c.overSpec() != null ? c.overSpec() : q.windows().get(c.over());
                if (w == null) {
                    throw Exprs.error(c, "Window '" + c.over() + "' not found");
                }
                byWindow.computeIfAbsent(w, k -> new ArrayList<>()).add(c);
            }
            List<Operators.Sliding.Window> windows = new ArrayList<>();
            int slot = width;
            for (Map.Entry<Ast.WindowSpec, List<Ast.Call>> e : byWindow.entrySet()) {
                List<Accumulator.Spec> specs = new ArrayList<>();
                int[] slots = new int[e.getValue().size()];
                for (int i = 0; i < slots.length; i++) {
                    Ast.Call c = e.getValue().get(i);
                    specs.add(spec(c, in));
                    slots[i] = slot;
                    ext.nodes.put(c, slot++);
                }
                List<Ev> partition = e.getKey().partitionBy().stream().map(x -> Exprs.compile(x, in)).toList();
                windows.add(new Operators.Sliding.Window(partition, e.getKey().rangeMillis(), e.getKey().rows(), specs, slots));
            }
            List<Ev> projections = items.stream().map(it -> Exprs.compile(it.expr(), ext)).toList();
            head = new Operators.Sliding(width, slot, windows, new Operators.FilterProject(null, projections, out));
            if (where != null) {
                head = new Operators.FilterProject(where, null, head);
            }
        } else {
            List<Ev> projections = items.stream().map(it -> Exprs.compile(it.expr(), in)).toList();
            head = new Operators.FilterProject(where, projections, out);
        }
        src.connect().accept(head);
        return names;
    }

    private static void noAggregates(Expr e, String clause) {
        Exprs.walk(e, x -> {
            if (Exprs.isAggregate(x) || (x instanceof Ast.Call c && c.windowed())) {
                throw Exprs.error(x, "Aggregate expression is illegal in " + clause + " clause");
            }
        });
    }

    private static void collect(Expr e, List<Expr> aggregates, List<Ast.Call> windowed) {
        Exprs.walk(e, x -> {
            if (Exprs.isAggregate(x)) {
                Ast.Call c = (Ast.Call) x;
                c.args().forEach(a -> noAggregates(a, "aggregate argument"));
                aggregates.add(x);
            } else if (x instanceof Ast.Call c && c.windowed()) {
                if (!Exprs.AGGREGATES.contains(c.name())) {
                    throw Exprs.error(c, "Function " + c.name() + " cannot be used with OVER");
                }
                windowed.add(c);
            }
        });
    }

    private static Accumulator.Spec spec(Ast.Call c, Scope in) {
        Accumulator.Kind kind = Accumulator.Kind.valueOf(c.name());
        if (c.star()) {
            if (kind != Accumulator.Kind.COUNT) {
                throw Exprs.error(c, c.name() + "(*) is not allowed");
            }
            return new Accumulator.Spec(kind, null, false);
        }
        if (c.args().size() != 1) {
            throw Exprs.error(c, "Invalid number of arguments to function '" + c.name() + "'. Was expecting 1 arguments");
        }
        return new Accumulator.Spec(kind, Exprs.compile(c.args().get(0), in), c.distinct());
    }

    /** Window length of a monotonic grouping key on ROWTIME, or -1 if the key is not one. */
    private static long windowSize(Expr key) {
        boolean[] rowtime = new boolean[1];
        Exprs.walk(key, x -> rowtime[0] |= x instanceof Ast.RowtimeRef);
        if (!rowtime[0]) {
            return -1;
        }
        if (key instanceof Ast.Call c && c.name().equals("STEP") && c.args().size() == 2
                && c.args().get(0) instanceof Ast.RowtimeRef && c.args().get(1) instanceof Ast.Interval i && i.millis() > 0) {
            return i.millis();
        }
        if (key instanceof Ast.FloorTo f && !f.ceil() && f.operand() instanceof Ast.RowtimeRef
                && List.of("SECOND", "MINUTE", "HOUR", "DAY").contains(f.unit())) {
            return Exprs.unitMillis(f.unit(), f);
        }
        return -1;
    }

    private static List<Ast.SelectItem> expandStar(Ast.Select q, Scope in) {
        List<Ast.SelectItem> out = new ArrayList<>();
        for (Ast.SelectItem it : q.items()) {
            if (!it.star()) {
                out.add(it);
                continue;
            }
            for (Scope.Entry e : in.visible()) {
                List<String> parts = e.qualifiers().isEmpty() ? List.of(e.name()) : List.of(e.qualifiers().get(0), e.name());
                out.add(new Ast.SelectItem(new Ast.Column(parts, it.pos()), null, false, it.pos()));
            }
        }
        return out;
    }

    private static List<String> outputNames(List<Ast.SelectItem> items) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Ast.SelectItem it = items.get(i);
            if (it.alias() != null) {
                names.add(it.alias());
            } else if (it.expr() instanceof Ast.Column c) {
                names.add(c.parts().get(c.parts().size() - 1));
            } else if (it.expr() instanceof Ast.RowtimeRef) {
                names.add("ROWTIME");
            } else {
                names.add("EXPR$" + i);
            }
        }
        return names;
    }

    private Source from(Ast.From from, String pumpName) {
        {
            if (from instanceof Ast.StreamRef ref) {
                if (ref.over() != null) {
                    throw new SqlException(ref.pos().line(), ref.pos().column(), "Windowed stream-to-stream JOIN is not supported yet");
                }
                Stream s = streams.get(ref.name());
                if (s == null) {
                    if (tables.containsKey(ref.name())) {
                        throw new SqlException(ref.pos().line(), ref.pos().column(),
                                "Cannot select from reference table '" + ref.name() + "' as a stream; join it to a stream");
                    }
                    throw new SqlException(ref.pos().line(), ref.pos().column(), "Object '" + ref.name() + "' not found");
                }
                Scope scope = new Scope();
                List<String> quals = ref.alias() == null ? List.of(s.name) : List.of(ref.alias(), s.name);
                for (int i = 0; i < s.columns.size(); i++) {
                    scope.add(quals, s.columns.get(i).name(), i, s.columns.get(i), i >= s.columns.size() - s.hiddenColumns);
                }
                return new Source(scope, sink -> s.subscribers.add(guard(sink, pumpName)));
            }
            if (from instanceof Ast.SubQuery sq) {
                Scope scope = new Scope();
                Sink[] holder = new Sink[1];
                Sink relay = new Sink() {
                    @Override
                    public void row(Object[] values, long rowtime) {
                        holder[0].row(values, rowtime);
                    }

                    @Override
                    public void tick(long time) {
                        holder[0].tick(time);
                    }
                };
                List<String> names = plan(sq.query(), relay, pumpName, false);
                List<String> quals = sq.alias() == null ? List.of() : List.of(sq.alias());
                for (int i = 0; i < names.size(); i++) {
                    scope.add(quals, names.get(i), i, null, false);
                }
                return new Source(scope, sink -> holder[0] = sink);
            }
            if (from instanceof Ast.Join j) {
                Source left = from(j.left(), pumpName);
                if (!(j.right() instanceof Ast.StreamRef ref) || !tables.containsKey(ref.name())) {
                    throw new SqlException(j.pos().line(), j.pos().column(),
                            "Only joins of a stream with a reference table are supported yet");
                }
                Table t = tables.get(ref.name());
                Scope scope = new Scope();
                scope.entries.addAll(left.scope().entries);
                int leftWidth = left.scope().width();
                List<String> quals = ref.alias() == null ? List.of(t.name()) : List.of(ref.alias(), t.name());
                for (int i = 0; i < t.columns().size(); i++) {
                    scope.add(quals, t.columns().get(i).name(), leftWidth + i, t.columns().get(i), false);
                }
                Ev on = Exprs.compile(j.on(), scope);
                int rightWidth = t.columns().size();
                return new Source(scope, sink -> left.connect().accept(
                        new Operators.TableJoin(t.rows(), leftWidth, rightWidth, on, j.leftOuter(), sink)));
            }
            {
                Ast.TableFunction tf = (Ast.TableFunction) from;
                if (!tf.function().equals("TOP_K_ITEMS_TUMBLING")) {
                    throw new SqlException(tf.pos().line(), tf.pos().column(), "Table function " + tf.function() + " is not supported yet");
                }
                if (tf.args().size() != 3 || !(tf.args().get(0) instanceof Ast.Literal c && c.value() instanceof String colName)
                        || !(tf.args().get(1) instanceof Ast.Literal k && k.value() instanceof Long kv && kv > 0)
                        || !(tf.args().get(2) instanceof Ast.Literal w && w.value() instanceof Long wv && wv > 0)) {
                    throw new SqlException(tf.pos().line(), tf.pos().column(),
                            "TOP_K_ITEMS_TUMBLING expects (CURSOR(...), 'column', k, windowSeconds)");
                }
                Sink[] holder = new Sink[1];
                Sink relay = new Sink() {
                    @Override
                    public void row(Object[] values, long rowtime) {
                        holder[0].row(values, rowtime);
                    }

                    @Override
                    public void tick(long time) {
                        holder[0].tick(time);
                    }
                };
                int[] column = new int[1];
                Sink[] topk = new Sink[1];
                List<String> names = plan(tf.cursor(), new Sink() {
                    @Override
                    public void row(Object[] values, long rowtime) {
                        topk[0].row(values, rowtime);
                    }

                    @Override
                    public void tick(long time) {
                        topk[0].tick(time);
                    }
                }, pumpName, false);
                column[0] = names.indexOf(colName);
                if (column[0] < 0) {
                    throw new SqlException(tf.pos().line(), tf.pos().column(), "Column '" + colName + "' not found in the cursor");
                }
                topk[0] = new Operators.TopKTumbling(column[0], kv.intValue(), wv * 1000, relay);
                Scope scope = new Scope();
                List<String> quals = tf.alias() == null ? List.of() : List.of(tf.alias());
                scope.add(quals, colName, 0, null, false);
                scope.add(quals, "MOST_FREQUENT_VALUES", 1, null, false);
                return new Source(scope, sink -> holder[0] = sink);
            }
        }
    }
}
