package dev.tributary.analytics.sql;

import dev.tributary.analytics.sql.Ast.Between;
import dev.tributary.analytics.sql.Ast.Binary;
import dev.tributary.analytics.sql.Ast.Call;
import dev.tributary.analytics.sql.Ast.Case;
import dev.tributary.analytics.sql.Ast.Cast;
import dev.tributary.analytics.sql.Ast.Column;
import dev.tributary.analytics.sql.Ast.ColumnDef;
import dev.tributary.analytics.sql.Ast.CreatePump;
import dev.tributary.analytics.sql.Ast.CreateStream;
import dev.tributary.analytics.sql.Ast.Expr;
import dev.tributary.analytics.sql.Ast.Extract;
import dev.tributary.analytics.sql.Ast.FloorTo;
import dev.tributary.analytics.sql.Ast.From;
import dev.tributary.analytics.sql.Ast.In;
import dev.tributary.analytics.sql.Ast.Interval;
import dev.tributary.analytics.sql.Ast.IsNull;
import dev.tributary.analytics.sql.Ast.Join;
import dev.tributary.analytics.sql.Ast.Like;
import dev.tributary.analytics.sql.Ast.Literal;
import dev.tributary.analytics.sql.Ast.OrderItem;
import dev.tributary.analytics.sql.Ast.Pos;
import dev.tributary.analytics.sql.Ast.RowtimeRef;
import dev.tributary.analytics.sql.Ast.Select;
import dev.tributary.analytics.sql.Ast.SelectItem;
import dev.tributary.analytics.sql.Ast.Stagger;
import dev.tributary.analytics.sql.Ast.Statement;
import dev.tributary.analytics.sql.Ast.StreamRef;
import dev.tributary.analytics.sql.Ast.SubQuery;
import dev.tributary.analytics.sql.Ast.TableFunction;
import dev.tributary.analytics.sql.Ast.TypeSpec;
import dev.tributary.analytics.sql.Ast.Unary;
import dev.tributary.analytics.sql.Ast.When;
import dev.tributary.analytics.sql.Ast.WindowSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hand-written recursive-descent parser for the subset of the Kinesis Data Analytics SQL dialect
 * listed in the module README. Not thread-safe; one instance per piece of code.
 */
public final class Parser {
    private static final Set<String> RESERVED = Set.of("SELECT", "FROM", "WHERE", "GROUP", "HAVING", "WINDOW",
            "WINDOWED", "ORDER", "JOIN", "LEFT", "RIGHT", "INNER", "FULL", "CROSS", "OUTER", "ON", "AND", "OR", "NOT",
            "AS", "UNION", "OVER", "BY", "STREAM", "LIMIT", "WHEN", "THEN", "ELSE", "END", "CASE", "IS", "IN",
            "LIKE", "SIMILAR", "BETWEEN", "CREATE", "INSERT", "INTO", "PUMP");
    public static final Set<String> TYPES = Set.of("VARCHAR", "CHAR", "CHARACTER", "INTEGER", "INT", "BIGINT",
            "SMALLINT", "TINYINT", "REAL", "DOUBLE", "FLOAT", "DECIMAL", "NUMERIC", "BOOLEAN", "TIMESTAMP", "DATE",
            "TIME", "VARBINARY", "BINARY");

    private final List<Token> tokens;
    private int at;

    private Parser(String code) {
        this.tokens = Lexer.tokenize(code);
    }

    /** Parses a whole application: statements separated by semicolons. */
    public static List<Statement> parseProgram(String code) {
        Parser p = new Parser(code);
        List<Statement> out = new ArrayList<>();
        while (true) {
            while (p.accept(";")) {
                // empty statements
            }
            if (p.peek().kind() == Token.Kind.EOF) {
                return out;
            }
            out.add(p.statement());
            if (p.peek().kind() != Token.Kind.EOF) {
                p.expect(";");
            }
        }
    }

    /** Parses a type name as used in an input schema's {@code SqlType}, e.g. {@code VARCHAR(4)}. */
    public static TypeSpec parseType(String text) {
        Parser p = new Parser(text);
        TypeSpec t = p.type();
        if (p.peek().kind() != Token.Kind.EOF) {
            throw p.error(p.peek(), "Unexpected '" + p.peek().text() + "' after type");
        }
        return t;
    }

    // ---- statements

    private Statement statement() {
        Token start = expectWord("CREATE");
        if (accept("OR")) {
            expectWord("REPLACE");
        }
        if (acceptWord("STREAM")) {
            String name = name();
            expect("(");
            List<ColumnDef> cols = new ArrayList<>();
            do {
                Token t = peek();
                String col = name();
                cols.add(new ColumnDef(col, type(), pos(t)));
            } while (accept(","));
            expect(")");
            if (acceptWord("DESCRIPTION")) {
                expectKind(Token.Kind.STRING);
            }
            return new CreateStream(name, cols, pos(start));
        }
        if (acceptWord("PUMP")) {
            String name = name();
            boolean stopped = acceptWord("STOPPED");
            expectWord("AS");
            expectWord("INSERT");
            expectWord("INTO");
            String target = name();
            Select q = select();
            return new CreatePump(name, target, stopped, q, pos(start));
        }
        throw error(peek(), "Expected STREAM or PUMP after CREATE OR REPLACE, found '" + peek().text() + "'");
    }

    private TypeSpec type() {
        Token t = peek();
        if (t.kind() != Token.Kind.IDENT || !TYPES.contains(t.text())) {
            throw error(t, "Unknown type '" + t.text() + "'");
        }
        at++;
        String base = switch (t.text()) {
            case "INT" -> "INTEGER";
            case "CHARACTER" -> "CHAR";
            case "NUMERIC" -> "DECIMAL";
            default -> t.text();
        };
        if (base.equals("DOUBLE")) {
            acceptWord("PRECISION");
        }
        if (base.equals("CHAR") && acceptWord("VARYING")) {
            base = "VARCHAR";
        }
        int precision = -1;
        int scale = -1;
        if (accept("(")) {
            precision = Integer.parseInt(expectKind(Token.Kind.NUMBER).text());
            if (accept(",")) {
                scale = Integer.parseInt(expectKind(Token.Kind.NUMBER).text());
            }
            expect(")");
        }
        return new TypeSpec(base, precision, scale);
    }

    // ---- queries

    private Select select() {
        Token start = expectWord("SELECT");
        acceptWord("STREAM");
        acceptWord("ALL");
        if (acceptWord("DISTINCT")) {
            throw error(start, "SELECT DISTINCT is not supported on a stream");
        }
        List<SelectItem> items = new ArrayList<>();
        do {
            Token t = peek();
            if (accept("*")) {
                items.add(new SelectItem(null, null, true, pos(t)));
                continue;
            }
            Expr e = expr();
            String alias = null;
            if (acceptWord("AS")) {
                alias = name();
            } else if (isAliasStart()) {
                alias = name();
            }
            items.add(new SelectItem(e, alias, false, pos(t)));
        } while (accept(","));
        expectWord("FROM");
        From from = fromItem();
        while (true) {
            Token j = peek();
            boolean left = false;
            if (acceptWord("LEFT")) {
                acceptWord("OUTER");
                left = true;
                expectWord("JOIN");
            } else if (acceptWord("INNER")) {
                expectWord("JOIN");
            } else if (!acceptWord("JOIN")) {
                break;
            }
            From right = fromItem();
            expectWord("ON");
            from = new Join(from, right, left, expr(), pos(j));
        }
        Expr where = acceptWord("WHERE") ? expr() : null;
        Stagger stagger = null;
        if (acceptWord("WINDOWED")) {
            expectWord("BY");
            expectWord("STAGGER");
            expect("(");
            expectWord("PARTITION");
            expectWord("BY");
            List<Expr> keys = exprList();
            expectWord("RANGE");
            long range = interval().millis();
            expect(")");
            stagger = new Stagger(keys, range);
        }
        List<Expr> groupBy = List.of();
        if (acceptWord("GROUP")) {
            expectWord("BY");
            groupBy = exprList();
        }
        Expr having = acceptWord("HAVING") ? expr() : null;
        Map<String, WindowSpec> windows = new LinkedHashMap<>();
        if (acceptWord("WINDOW")) {
            do {
                String name = name();
                expectWord("AS");
                expect("(");
                windows.put(name, windowSpec());
                expect(")");
            } while (accept(","));
        }
        List<OrderItem> orderBy = new ArrayList<>();
        if (acceptWord("ORDER")) {
            expectWord("BY");
            do {
                Expr e = expr();
                boolean desc = acceptWord("DESC");
                if (!desc) {
                    acceptWord("ASC");
                }
                orderBy.add(new OrderItem(e, desc));
            } while (accept(","));
        }
        return new Select(items, from, where, groupBy, having, windows, stagger, orderBy, pos(start));
    }

    private WindowSpec windowSpec() {
        List<Expr> partition = List.of();
        if (acceptWord("PARTITION")) {
            expectWord("BY");
            partition = exprList();
        }
        if (acceptWord("RANGE")) {
            if (acceptWord("CURRENT")) {
                expectWord("ROW");
                return new WindowSpec(partition, 0, -1);
            }
            long range = interval().millis();
            expectWord("PRECEDING");
            return new WindowSpec(partition, range, -1);
        }
        if (acceptWord("ROWS")) {
            if (acceptWord("CURRENT")) {
                expectWord("ROW");
                return new WindowSpec(partition, -1, 0);
            }
            long rows = Long.parseLong(expectKind(Token.Kind.NUMBER).text());
            expectWord("PRECEDING");
            return new WindowSpec(partition, -1, rows);
        }
        throw error(peek(), "Expected RANGE or ROWS in window specification, found '" + peek().text() + "'");
    }

    private From fromItem() {
        Token t = peek();
        if (accept("(")) {
            Select q = select();
            expect(")");
            return new SubQuery(q, alias(), pos(t));
        }
        if (peek().is("TABLE") && peekAt(1).is("(")) {
            at += 2;
            Token fn = peek();
            String function = name();
            expect("(");
            expectWord("CURSOR");
            expect("(");
            Select cursor = select();
            expect(")");
            List<Expr> args = new ArrayList<>();
            while (accept(",")) {
                args.add(expr());
            }
            expect(")");
            expect(")");
            return new TableFunction(function, cursor, args, alias(), pos(fn));
        }
        String name = name();
        WindowSpec over = null;
        if (acceptWord("OVER")) {
            expect("(");
            over = windowSpec();
            expect(")");
        }
        return new StreamRef(name, alias(), over, pos(t));
    }

    private String alias() {
        if (acceptWord("AS")) {
            return name();
        }
        return isAliasStart() ? name() : null;
    }

    private boolean isAliasStart() {
        Token t = peek();
        return t.kind() == Token.Kind.QUOTED || (t.kind() == Token.Kind.IDENT && !RESERVED.contains(t.text()));
    }

    // ---- expressions

    private List<Expr> exprList() {
        List<Expr> out = new ArrayList<>();
        do {
            out.add(expr());
        } while (accept(","));
        return out;
    }

    public Expr expr() {
        Expr left = and();
        while (peek().is("OR")) {
            Token op = next();
            left = new Binary("OR", left, and(), pos(op));
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (peek().is("AND")) {
            Token op = next();
            left = new Binary("AND", left, not(), pos(op));
        }
        return left;
    }

    private Expr not() {
        if (peek().is("NOT")) {
            Token op = next();
            return new Unary("NOT", not(), pos(op));
        }
        return predicate();
    }

    private Expr predicate() {
        Expr left = additive();
        while (true) {
            Token t = peek();
            if (t.kind() == Token.Kind.SYMBOL && Set.of("=", "<>", "!=", "<", ">", "<=", ">=").contains(t.text())) {
                at++;
                left = new Binary(t.text().equals("!=") ? "<>" : t.text(), left, additive(), pos(t));
                continue;
            }
            if (t.is("IS")) {
                at++;
                boolean negated = acceptWord("NOT");
                expectWord("NULL");
                left = new IsNull(left, negated, pos(t));
                continue;
            }
            boolean negated = false;
            if (t.is("NOT") && (peekAt(1).is("LIKE") || peekAt(1).is("SIMILAR") || peekAt(1).is("BETWEEN")
                    || peekAt(1).is("IN"))) {
                at++;
                negated = true;
            }
            if (acceptWord("LIKE")) {
                left = new Like(left, additive(), false, negated, pos(t));
            } else if (acceptWord("SIMILAR")) {
                expectWord("TO");
                left = new Like(left, additive(), true, negated, pos(t));
            } else if (acceptWord("BETWEEN")) {
                acceptWord("ASYMMETRIC");
                Expr low = additive();
                expectWord("AND");
                left = new Between(left, low, additive(), negated, pos(t));
            } else if (acceptWord("IN")) {
                expect("(");
                List<Expr> values = exprList();
                expect(")");
                left = new In(left, values, negated, pos(t));
            } else {
                return left;
            }
        }
    }

    private Expr additive() {
        Expr left = multiplicative();
        while (peek().is("+") || peek().is("-") || peek().is("||")) {
            Token op = next();
            left = new Binary(op.text(), left, multiplicative(), pos(op));
        }
        return left;
    }

    private Expr multiplicative() {
        Expr left = unary();
        while (peek().is("*") || peek().is("/") || peek().is("%")) {
            Token op = next();
            left = new Binary(op.text(), left, unary(), pos(op));
        }
        return left;
    }

    private Expr unary() {
        if (peek().is("-")) {
            Token op = next();
            Expr operand = unary();
            if (operand instanceof Literal l && l.value() instanceof Long v) {
                return new Literal(-v, pos(op));
            }
            if (operand instanceof Literal l && l.value() instanceof BigDecimal v) {
                return new Literal(v.negate(), pos(op));
            }
            return new Unary("-", operand, pos(op));
        }
        if (peek().is("+")) {
            next();
            return unary();
        }
        return primary();
    }

    private Expr primary() {
        Token t = peek();
        switch (t.kind()) {
            case NUMBER -> {
                at++;
                String s = t.text();
                if (s.contains("e") || s.contains("E")) {
                    return new Literal(Double.parseDouble(s), pos(t));
                }
                if (s.contains(".")) {
                    return new Literal(new BigDecimal(s), pos(t));
                }
                try {
                    return new Literal(Long.parseLong(s), pos(t));
                } catch (NumberFormatException e) {
                    return new Literal(new BigDecimal(s), pos(t));
                }
            }
            case STRING -> {
                at++;
                return new Literal(t.text(), pos(t));
            }
            case SYMBOL -> {
                if (accept("(")) {
                    Expr e = expr();
                    expect(")");
                    return e;
                }
                throw error(t, "Unexpected '" + t.text() + "'");
            }
            case QUOTED -> {
                return columnRef();
            }
            case IDENT -> {
                return identStart(t);
            }
            default -> throw error(t, "Unexpected end of statement");
        }
    }

    private Expr identStart(Token t) {
        String w = t.text();
        switch (w) {
            case "NULL" -> {
                at++;
                return new Literal(null, pos(t));
            }
            case "TRUE", "FALSE" -> {
                at++;
                return new Literal(w.equals("TRUE"), pos(t));
            }
            case "INTERVAL" -> {
                return interval();
            }
            case "CASE" -> {
                return caseExpr();
            }
            case "TIMESTAMP" -> {
                if (peekAt(1).kind() == Token.Kind.STRING) {
                    at++;
                    Token s = next();
                    return new Cast(new Literal(s.text(), pos(s)), new TypeSpec("TIMESTAMP", -1, -1), pos(t));
                }
            }
            default -> {
            }
        }
        if (!peekAt(1).is("(")) {
            if (RESERVED.contains(w)) {
                throw error(t, "Unexpected '" + w + "'");
            }
            if (w.equals("CURRENT_ROW_TIMESTAMP") || w.equals("CURRENT_TIMESTAMP") || w.equals("LOCALTIMESTAMP")) {
                at++;
                return new Call(w, List.of(), false, false, null, null, pos(t));
            }
            return columnRef();
        }
        at += 2; // name (
        switch (w) {
            case "CAST" -> {
                Expr e = expr();
                expectWord("AS");
                TypeSpec type = type();
                expect(")");
                return new Cast(e, type, pos(t));
            }
            case "EXTRACT" -> {
                String unit = expectKind(Token.Kind.IDENT).text();
                expectWord("FROM");
                Expr e = expr();
                expect(")");
                return new Extract(unit, e, pos(t));
            }
            case "FLOOR", "CEIL", "CEILING" -> {
                Expr e = expr();
                if (acceptWord("TO")) {
                    String unit = expectKind(Token.Kind.IDENT).text();
                    expect(")");
                    return new FloorTo(e, unit, !w.equals("FLOOR"), pos(t));
                }
                expect(")");
                return new Call(w.equals("FLOOR") ? "FLOOR" : "CEIL", List.of(e), false, false, null, null, pos(t));
            }
            case "STEP" -> {
                Expr e = expr();
                if (!acceptWord("BY")) {
                    expect(",");
                }
                Expr i = expr();
                expect(")");
                return new Call("STEP", List.of(e, i), false, false, null, null, pos(t));
            }
            case "SUBSTRING" -> {
                Expr s = expr();
                List<Expr> args = new ArrayList<>(List.of(s));
                if (acceptWord("FROM") || accept(",")) {
                    args.add(expr());
                    if (acceptWord("FOR") || accept(",")) {
                        args.add(expr());
                    }
                }
                expect(")");
                return new Call("SUBSTRING", args, false, false, null, null, pos(t));
            }
            case "POSITION" -> {
                Expr needle = additive();
                expectWord("IN");
                Expr hay = expr();
                expect(")");
                return new Call("POSITION", List.of(needle, hay), false, false, null, null, pos(t));
            }
            case "TRIM" -> {
                String mode = "BOTH";
                if (peek().is("BOTH") || peek().is("LEADING") || peek().is("TRAILING")) {
                    mode = next().text();
                }
                Expr chars = new Literal(" ", pos(t));
                Expr e;
                if (acceptWord("FROM")) {
                    e = expr();
                } else {
                    e = expr();
                    if (acceptWord("FROM")) {
                        chars = e;
                        e = expr();
                    }
                }
                expect(")");
                return new Call("TRIM", List.of(new Literal(mode, pos(t)), chars, e), false, false, null, null, pos(t));
            }
            default -> {
            }
        }
        boolean star = false;
        boolean distinct = false;
        List<Expr> args = new ArrayList<>();
        if (accept("*")) {
            star = true;
        } else if (!peek().is(")")) {
            distinct = acceptWord("DISTINCT");
            if (!distinct) {
                acceptWord("ALL");
            }
            args = exprList();
        }
        expect(")");
        String over = null;
        WindowSpec overSpec = null;
        if (acceptWord("OVER")) {
            if (accept("(")) {
                overSpec = windowSpec();
                expect(")");
            } else {
                over = name();
            }
        }
        return new Call(w, args, star, distinct, over, overSpec, pos(t));
    }

    private Expr columnRef() {
        Token t = peek();
        List<String> parts = new ArrayList<>();
        parts.add(name());
        while (peek().is(".") && (peekAt(1).kind() == Token.Kind.IDENT || peekAt(1).kind() == Token.Kind.QUOTED)) {
            at++;
            parts.add(name());
        }
        if (parts.get(parts.size() - 1).equals("ROWTIME") && parts.size() <= 2) {
            return new RowtimeRef(parts.size() == 2 ? parts.get(0) : null, pos(t));
        }
        return new Column(parts, pos(t));
    }

    private Expr caseExpr() {
        Token t = next();
        Expr operand = peek().is("WHEN") ? null : expr();
        List<When> whens = new ArrayList<>();
        while (acceptWord("WHEN")) {
            Expr c = expr();
            expectWord("THEN");
            whens.add(new When(c, expr()));
        }
        if (whens.isEmpty()) {
            throw error(peek(), "CASE needs at least one WHEN");
        }
        Expr otherwise = acceptWord("ELSE") ? expr() : null;
        expectWord("END");
        return new Case(operand, whens, otherwise, pos(t));
    }

    private Interval interval() {
        Token t = expectWord("INTERVAL");
        boolean negative = accept("-");
        Token v = next();
        if (v.kind() != Token.Kind.STRING && v.kind() != Token.Kind.NUMBER) {
            throw error(v, "Expected an interval literal such as INTERVAL '1' MINUTE");
        }
        String unit = expectKind(Token.Kind.IDENT).text();
        String endUnit = null;
        if (acceptWord("TO")) {
            endUnit = expectKind(Token.Kind.IDENT).text();
        }
        long millis;
        try {
            millis = intervalMillis(v.text().trim(), unit, endUnit);
        } catch (RuntimeException e) {
            throw error(v, "Invalid interval literal '" + v.text() + "' " + unit);
        }
        return new Interval(negative ? -millis : millis, pos(t));
    }

    private static long intervalMillis(String text, String unit, String endUnit) {
        if (endUnit == null) {
            return Math.round(Double.parseDouble(text) * unitMillis(unit));
        }
        String[] parts = text.split("[ :]");
        List<String> units = List.of("DAY", "HOUR", "MINUTE", "SECOND");
        int first = units.indexOf(unit);
        long total = 0;
        for (int i = 0; i < parts.length; i++) {
            total += Math.round(Double.parseDouble(parts[i]) * unitMillis(units.get(first + i)));
        }
        return total;
    }

    static long unitMillis(String unit) {
        return switch (unit) {
            case "MILLISECOND" -> 1L;
            case "SECOND" -> 1000L;
            case "MINUTE" -> 60_000L;
            case "HOUR" -> 3_600_000L;
            case "DAY" -> 86_400_000L;
            default -> throw new IllegalArgumentException("unit " + unit);
        };
    }

    // ---- token helpers

    private String name() {
        Token t = next();
        if (t.kind() == Token.Kind.IDENT || t.kind() == Token.Kind.QUOTED) {
            return t.text();
        }
        throw error(t, "Expected an identifier, found '" + t.text() + "'");
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(at + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(at);
        if (t.kind() != Token.Kind.EOF) {
            at++;
        }
        return t;
    }

    private boolean accept(String symbol) {
        if (peek().kind() == Token.Kind.SYMBOL && peek().text().equals(symbol)) {
            at++;
            return true;
        }
        return acceptWord(symbol);
    }

    private boolean acceptWord(String word) {
        if (peek().kind() == Token.Kind.IDENT && peek().text().equals(word)) {
            at++;
            return true;
        }
        return false;
    }

    private Token expect(String symbol) {
        if (!accept(symbol)) {
            throw error(peek(), "Expected '" + symbol + "', found '" + peek().text() + "'");
        }
        return tokens.get(at - 1);
    }

    private Token expectWord(String word) {
        if (!acceptWord(word)) {
            throw error(peek(), "Expected " + word + ", found '" + peek().text() + "'");
        }
        return tokens.get(at - 1);
    }

    private Token expectKind(Token.Kind kind) {
        Token t = next();
        if (t.kind() != kind) {
            throw error(t, "Expected " + kind.name().toLowerCase() + ", found '" + t.text() + "'");
        }
        return t;
    }

    private static Pos pos(Token t) {
        return new Pos(t.line(), t.column());
    }

    private SqlException error(Token t, String message) {
        return new SqlException(t.line(), t.column(), message);
    }
}
