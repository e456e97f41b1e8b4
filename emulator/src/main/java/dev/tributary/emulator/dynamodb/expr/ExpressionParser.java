package dev.tributary.emulator.dynamodb.expr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.emulator.dynamodb.DynamoDbError;
import dev.tributary.emulator.dynamodb.expr.Expr.And;
import dev.tributary.emulator.dynamodb.expr.Expr.Arithmetic;
import dev.tributary.emulator.dynamodb.expr.Expr.Between;
import dev.tributary.emulator.dynamodb.expr.Expr.Comparison;
import dev.tributary.emulator.dynamodb.expr.Expr.Condition;
import dev.tributary.emulator.dynamodb.expr.Expr.Function;
import dev.tributary.emulator.dynamodb.expr.Expr.IfNotExists;
import dev.tributary.emulator.dynamodb.expr.Expr.In;
import dev.tributary.emulator.dynamodb.expr.Expr.ListAppend;
import dev.tributary.emulator.dynamodb.expr.Expr.Literal;
import dev.tributary.emulator.dynamodb.expr.Expr.Not;
import dev.tributary.emulator.dynamodb.expr.Expr.Operand;
import dev.tributary.emulator.dynamodb.expr.Expr.Or;
import dev.tributary.emulator.dynamodb.expr.Expr.Path;
import dev.tributary.emulator.dynamodb.expr.Expr.PathOperand;
import dev.tributary.emulator.dynamodb.expr.Expr.SetAction;
import dev.tributary.emulator.dynamodb.expr.Expr.Size;
import dev.tributary.emulator.dynamodb.expr.Expr.Update;
import dev.tributary.emulator.dynamodb.expr.Expr.ValueAction;
import dev.tributary.emulator.protocol.AwsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A recursive-descent parser of DynamoDB's expression language: condition expressions (also
 * filter and key condition expressions), update expressions and projection expressions. The
 * grammar follows the DynamoDB developer guide ("Comparison operator and function reference",
 * "Update expressions"); precedence from loosest to tightest is OR, AND, NOT, then comparisons,
 * BETWEEN, IN and functions, with parentheses to group. Keywords are case-insensitive.
 *
 * <p>Errors are DynamoDB's: a ValidationException whose message starts with
 * {@code Invalid <kind>:} (e.g. {@code Invalid ConditionExpression: Syntax error; token: ...}).
 *
 * <p>Not thread-safe: one instance parses one expression.
 */
public final class ExpressionParser {
    private static final Set<String> CONDITION_FUNCTIONS =
            Set.of("attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains");

    private final String text;
    private final String kind;
    private final Placeholders placeholders;
    private final List<Token> tokens;
    private int pos;

    private enum Kind { IDENT, NAME, VALUE, NUMBER, PUNCT, END }

    private record Token(Kind kind, String text, int at) {
    }

    private ExpressionParser(String text, String kind, Placeholders placeholders) {
        this.text = text;
        this.kind = kind;
        this.placeholders = placeholders;
        this.tokens = lex(text);
    }

    /** Parses a condition; {@code kind} names the request member in errors, e.g. {@code ConditionExpression}. */
    public static Condition condition(String text, String kind, Placeholders placeholders) {
        ExpressionParser p = new ExpressionParser(text, kind, placeholders);
        p.requireNotEmpty();
        Condition c = p.or();
        p.expectEnd();
        return c;
    }

    /** Parses an {@code UpdateExpression}. */
    public static Update update(String text, Placeholders placeholders) {
        ExpressionParser p = new ExpressionParser(text, "UpdateExpression", placeholders);
        p.requireNotEmpty();
        return p.updateClauses();
    }

    /** Parses a {@code ProjectionExpression}: document paths separated by commas. */
    public static List<Path> projection(String text, Placeholders placeholders) {
        ExpressionParser p = new ExpressionParser(text, "ProjectionExpression", placeholders);
        p.requireNotEmpty();
        List<Path> out = new ArrayList<>();
        out.add(p.path());
        while (p.accept(",")) {
            out.add(p.path());
        }
        p.expectEnd();
        return out;
    }

    // ---- lexer

    private List<Token> lex(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            if (c == '#' || c == ':') {
                i++;
                while (i < s.length() && isWordChar(s.charAt(i))) {
                    i++;
                }
                if (i == start + 1) {
                    throw syntax(String.valueOf(c), start);
                }
                out.add(new Token(c == '#' ? Kind.NAME : Kind.VALUE, s.substring(start, i), start));
            } else if (Character.isDigit(c)) {
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                out.add(new Token(Kind.NUMBER, s.substring(start, i), start));
            } else if (Character.isLetter(c) || c == '_') {
                while (i < s.length() && isWordChar(s.charAt(i))) {
                    i++;
                }
                out.add(new Token(Kind.IDENT, s.substring(start, i), start));
            } else if (c == '<' && i + 1 < s.length() && (s.charAt(i + 1) == '>' || s.charAt(i + 1) == '=')) {
                out.add(new Token(Kind.PUNCT, s.substring(i, i + 2), start));
                i += 2;
            } else if (c == '>' && i + 1 < s.length() && s.charAt(i + 1) == '=') {
                out.add(new Token(Kind.PUNCT, ">=", start));
                i += 2;
            } else if ("()[],.=<>+-".indexOf(c) >= 0) {
                out.add(new Token(Kind.PUNCT, String.valueOf(c), start));
                i++;
            } else {
                throw DynamoDbError.validation("Invalid " + kind + ": Invalid character encountered; character: "
                        + c + ", near: \"" + near(start) + "\"");
            }
        }
        out.add(new Token(Kind.END, "<EOF>", s.length()));
        return out;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    // ---- conditions

    private Condition or() {
        Condition left = and();
        while (acceptKeyword("OR")) {
            left = new Or(left, and());
        }
        return left;
    }

    private Condition and() {
        Condition left = not();
        while (acceptKeyword("AND")) {
            left = new And(left, not());
        }
        return left;
    }

    private Condition not() {
        if (acceptKeyword("NOT")) {
            return new Not(not());
        }
        return primary();
    }

    private Condition primary() {
        if (peekPunct("(")) {
            // Either a parenthesized condition or an operand starting with a parenthesis; DynamoDB
            // has no parenthesized operands, so it is a condition.
            pos++;
            Condition inner = or();
            expect(")");
            return inner;
        }
        Token t = peek();
        if (t.kind == Kind.IDENT && peekAt(1).text.equals("(")) {
            String fn = t.text;
            if (CONDITION_FUNCTIONS.contains(fn)) {
                pos += 2;
                List<Operand> args = arguments();
                checkFunction(fn, args, t);
                return new Function(fn, args);
            }
        }
        Operand left = operand(false);
        Token op = peek();
        if (op.kind == Kind.PUNCT && Set.of("=", "<>", "<", "<=", ">", ">=").contains(op.text)) {
            pos++;
            return new Comparison(left, op.text, operand(false));
        }
        if (acceptKeyword("BETWEEN")) {
            Operand low = operand(false);
            if (!acceptKeyword("AND")) {
                throw syntax(peek());
            }
            return new Between(left, low, operand(false));
        }
        if (acceptKeyword("IN")) {
            expect("(");
            List<Operand> candidates = new ArrayList<>();
            candidates.add(operand(false));
            while (accept(",")) {
                candidates.add(operand(false));
            }
            expect(")");
            return new In(left, candidates);
        }
        throw syntax(op);
    }

    private void checkFunction(String fn, List<Operand> args, Token at) {
        int expected = fn.startsWith("attribute_exists") || fn.startsWith("attribute_not_exists") ? 1 : 2;
        if (args.size() != expected) {
            throw DynamoDbError.validation("Invalid " + kind
                    + ": Incorrect number of operands for operator or function; operator or function: " + fn
                    + ", number of operands: " + args.size());
        }
        if (!(args.get(0) instanceof PathOperand)) {
            throw DynamoDbError.validation("Invalid " + kind
                    + ": Operator or function requires a document path; operator or function: " + fn);
        }
    }

    private List<Operand> arguments() {
        List<Operand> args = new ArrayList<>();
        if (!peekPunct(")")) {
            args.add(operand(false));
            while (accept(",")) {
                args.add(operand(false));
            }
        }
        expect(")");
        return args;
    }

    // ---- operands

    /** An operand; update expressions also allow functions and {@code +}/{@code -}. */
    private Operand operand(boolean update) {
        Operand left = term(update);
        if (update && (peekPunct("+") || peekPunct("-"))) {
            char op = next().text.charAt(0);
            return new Arithmetic(left, op, term(update));
        }
        return left;
    }

    private Operand term(boolean update) {
        Token t = peek();
        if (t.kind == Kind.VALUE) {
            pos++;
            return new Literal(t.text, placeholders.value(t.text, kind));
        }
        if (t.kind == Kind.IDENT && peekAt(1).text.equals("(")) {
            String fn = t.text;
            pos += 2;
            switch (fn) {
                case "size" -> {
                    List<Operand> args = arguments();
                    if (args.size() != 1 || !(args.get(0) instanceof PathOperand p)) {
                        throw DynamoDbError.validation("Invalid " + kind
                                + ": Incorrect number of operands for operator or function; operator or function: size, number of operands: "
                                + args.size());
                    }
                    return new Size(p.path());
                }
                case "if_not_exists" -> {
                    requireUpdate(update, fn);
                    Path p = path();
                    expect(",");
                    Operand fallback = operand(true);
                    expect(")");
                    return new IfNotExists(p, fallback);
                }
                case "list_append" -> {
                    requireUpdate(update, fn);
                    Operand a = operand(true);
                    expect(",");
                    Operand b = operand(true);
                    expect(")");
                    return new ListAppend(a, b);
                }
                default -> throw DynamoDbError.validation("Invalid " + kind
                        + ": Invalid function name; function: " + fn);
            }
        }
        if (t.kind == Kind.IDENT || t.kind == Kind.NAME) {
            return new PathOperand(path());
        }
        throw syntax(t);
    }

    private void requireUpdate(boolean update, String fn) {
        if (!update) {
            throw DynamoDbError.validation("Invalid " + kind
                    + ": The function is not allowed to be used this way in an expression; function: " + fn);
        }
    }

    private Path path() {
        List<Object> elements = new ArrayList<>();
        elements.add(name());
        while (true) {
            if (accept(".")) {
                elements.add(name());
            } else if (peekPunct("[")) {
                pos++;
                Token n = next();
                if (n.kind != Kind.NUMBER) {
                    throw syntax(n);
                }
                expect("]");
                elements.add(Integer.parseInt(n.text));
            } else {
                return new Path(elements);
            }
        }
    }

    private String name() {
        Token t = next();
        if (t.kind == Kind.NAME) {
            return placeholders.name(t.text, kind);
        }
        if (t.kind == Kind.IDENT) {
            return t.text;
        }
        throw syntax(t);
    }

    // ---- update expressions

    private Update updateClauses() {
        List<SetAction> sets = new ArrayList<>();
        List<Path> removes = new ArrayList<>();
        List<ValueAction> adds = new ArrayList<>();
        List<ValueAction> deletes = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        while (peek().kind != Kind.END) {
            Token clause = next();
            String keyword = clause.text.toUpperCase(Locale.ROOT);
            if (clause.kind != Kind.IDENT || !Set.of("SET", "REMOVE", "ADD", "DELETE").contains(keyword)) {
                throw syntax(clause);
            }
            if (!seen.add(keyword)) {
                throw DynamoDbError.validation("Invalid UpdateExpression: The \"" + keyword
                        + "\" section can only be used once in an update expression;");
            }
            do {
                switch (keyword) {
                    case "SET" -> {
                        Path p = path();
                        expect("=");
                        sets.add(new SetAction(p, operand(true)));
                    }
                    case "REMOVE" -> removes.add(path());
                    default -> {
                        Path p = path();
                        Token v = next();
                        if (v.kind != Kind.VALUE) {
                            throw syntax(v);
                        }
                        ValueAction a = new ValueAction(p, new Literal(v.text, placeholders.value(v.text, kind)));
                        (keyword.equals("ADD") ? adds : deletes).add(a);
                    }
                }
            } while (accept(","));
        }
        return new Update(sets, removes, adds, deletes);
    }

    // ---- token helpers

    private void requireNotEmpty() {
        if (peek().kind == Kind.END) {
            throw DynamoDbError.validation("Invalid " + kind + ": The expression can not be empty;");
        }
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind != Kind.END) {
            pos++;
        }
        return t;
    }

    private boolean peekPunct(String p) {
        Token t = peek();
        return t.kind == Kind.PUNCT && t.text.equals(p);
    }

    private boolean accept(String p) {
        if (peekPunct(p)) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean acceptKeyword(String keyword) {
        Token t = peek();
        if (t.kind == Kind.IDENT && t.text.equalsIgnoreCase(keyword)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String p) {
        Token t = next();
        if (t.kind != Kind.PUNCT || !t.text.equals(p)) {
            throw syntax(t);
        }
    }

    private void expectEnd() {
        if (peek().kind != Kind.END) {
            throw syntax(peek());
        }
    }

    private AwsException syntax(Token t) {
        return syntax(t.text, t.at);
    }

    private AwsException syntax(String token, int at) {
        return DynamoDbError.validation("Invalid " + kind + ": Syntax error; token: \"" + token
                + "\", near: \"" + near(at) + "\"");
    }

    private String near(int at) {
        int from = Math.max(0, at - 10);
        int to = Math.min(text.length(), at + 10);
        return text.substring(from, to).trim();
    }
}
