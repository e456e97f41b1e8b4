package dev.tributary.analytics.sql;

import java.util.List;
import java.util.Map;

/** The syntax tree of a KDA SQL application: statements, queries and expressions. */
public final class Ast {
    private Ast() {
    }

    /** A position in the code, for error messages. */
    public record Pos(int line, int column) {
    }

    /** A declared type: base name (VARCHAR, INTEGER, ...) with optional precision and scale. */
    public record TypeSpec(String base, int precision, int scale) {
        @Override
        public String toString() {
            return precision < 0 ? base : scale < 0 ? base + "(" + precision + ")" : base + "(" + precision + "," + scale + ")";
        }
    }

    public record ColumnDef(String name, TypeSpec type, Pos pos) {
    }

    public sealed interface Statement permits CreateStream, CreatePump {
    }

    public record CreateStream(String name, List<ColumnDef> columns, Pos pos) implements Statement {
        public CreateStream {
            columns = List.copyOf(columns);
        }
    }

    public record CreatePump(String name, String target, boolean stopped, Select query, Pos pos) implements Statement {
    }

    /** {@code PARTITION BY ... RANGE INTERVAL ... PRECEDING} or {@code ROWS n PRECEDING}. */
    public record WindowSpec(List<Expr> partitionBy, long rangeMillis, long rows) {
        public boolean isRange() {
            return rangeMillis >= 0;
        }
    }

    public record SelectItem(Expr expr, String alias, boolean star, Pos pos) {
    }

    /** {@code WINDOWED BY STAGGER (PARTITION BY ... RANGE INTERVAL ...)}. */
    public record Stagger(List<Expr> partitionBy, long rangeMillis) {
    }

    public record OrderItem(Expr expr, boolean descending) {
    }

    public record Select(List<SelectItem> items, From from, Expr where, List<Expr> groupBy, Expr having,
                         Map<String, WindowSpec> windows, Stagger stagger, List<OrderItem> orderBy, Pos pos) {
    }

    public sealed interface From permits StreamRef, SubQuery, Join, TableFunction {
    }

    public record StreamRef(String name, String alias, WindowSpec over, Pos pos) implements From {
    }

    public record SubQuery(Select query, String alias, Pos pos) implements From {
    }

    public record Join(From left, From right, boolean leftOuter, Expr on, Pos pos) implements From {
    }

    /** {@code TABLE(fn(CURSOR(select), args...))}. */
    public record TableFunction(String function, Select cursor, List<Expr> args, String alias, Pos pos) implements From {
    }

    public sealed interface Expr permits Literal, Interval, Column, Binary, Unary, Call, Cast, Case, IsNull, Like,
            Between, In, FloorTo, Extract, RowtimeRef {
        Pos pos();
    }

    /** A constant: String, Long, Double, java.math.BigDecimal, Boolean or null. */
    public record Literal(Object value, Pos pos) implements Expr {
    }

    /** A day-time interval literal, in milliseconds. */
    public record Interval(long millis, Pos pos) implements Expr {
    }

    /** A possibly qualified name: {@code a}, {@code s.a}, {@code t.rec.column1}. */
    public record Column(List<String> parts, Pos pos) implements Expr {
        public Column {
            parts = List.copyOf(parts);
        }
    }

    /** ROWTIME of the current row (optionally qualified by a stream name). */
    public record RowtimeRef(String qualifier, Pos pos) implements Expr {
    }

    public record Binary(String op, Expr left, Expr right, Pos pos) implements Expr {
    }

    /** {@code NOT x} or {@code -x}. */
    public record Unary(String op, Expr operand, Pos pos) implements Expr {
    }

    /**
     * A function or aggregate call. {@code over} names a window of the WINDOW clause, {@code overSpec}
     * is an inline window; both null for plain calls.
     */
    public record Call(String name, List<Expr> args, boolean star, boolean distinct, String over, WindowSpec overSpec,
                       Pos pos) implements Expr {
        public Call {
            args = List.copyOf(args);
        }

        public boolean windowed() {
            return over != null || overSpec != null;
        }
    }

    public record Cast(Expr operand, TypeSpec type, Pos pos) implements Expr {
    }

    public record When(Expr condition, Expr result) {
    }

    public record Case(Expr operand, List<When> whens, Expr otherwise, Pos pos) implements Expr {
    }

    public record IsNull(Expr operand, boolean negated, Pos pos) implements Expr {
    }

    /** LIKE or SIMILAR TO. */
    public record Like(Expr operand, Expr pattern, boolean similar, boolean negated, Pos pos) implements Expr {
    }

    public record Between(Expr operand, Expr low, Expr high, boolean negated, Pos pos) implements Expr {
    }

    public record In(Expr operand, List<Expr> values, boolean negated, Pos pos) implements Expr {
    }

    /** {@code FLOOR(x TO unit)} or {@code CEIL(x TO unit)}. */
    public record FloorTo(Expr operand, String unit, boolean ceil, Pos pos) implements Expr {
    }

    public record Extract(String unit, Expr operand, Pos pos) implements Expr {
    }
}
