package dev.tributary.analytics.exec;

import dev.tributary.analytics.SqlTimestamp;
import dev.tributary.analytics.sql.Ast.TypeSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.regex.Pattern;

/** Value arithmetic, comparison and coercion, with SQL null semantics. Stateless. */
public final class Values {
    private static final DateTimeFormatter TIMESTAMP_IN = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendPattern("HH:mm")
            .optionalStart().appendPattern(":ss").optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalEnd()
            .optionalStart().appendLiteral('Z').optionalEnd()
            .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
            .toFormatter();

    private Values() {
    }

    public static boolean isNumber(Object v) {
        return v instanceof Number;
    }

    static boolean isFloating(Object v) {
        return v instanceof Double || v instanceof Float;
    }

    static double toDouble(Object v) {
        return ((Number) v).doubleValue();
    }

    static BigDecimal toDecimal(Object v) {
        return v instanceof BigDecimal d ? d : v instanceof Long l ? BigDecimal.valueOf(l) : BigDecimal.valueOf(((Number) v).doubleValue());
    }

    /** +, -, *, /, % over numbers; timestamp +/- interval (an interval is a Long of millis here). */
    public static Object arithmetic(String op, Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        if (a instanceof SqlTimestamp t && b instanceof Long ms && (op.equals("+") || op.equals("-"))) {
            return new SqlTimestamp(op.equals("+") ? t.millis() + ms : t.millis() - ms);
        }
        if (a instanceof Long ms && b instanceof SqlTimestamp t && op.equals("+")) {
            return new SqlTimestamp(t.millis() + ms);
        }
        if (a instanceof SqlTimestamp x && b instanceof SqlTimestamp y && op.equals("-")) {
            return x.millis() - y.millis();
        }
        if (!(a instanceof Number) || !(b instanceof Number)) {
            throw new SqlRuntimeError("INVALID_ARGUMENT", "Cannot apply '" + op + "' to " + typeName(a) + " and " + typeName(b));
        }
        if (isFloating(a) || isFloating(b)) {
            double x = toDouble(a);
            double y = toDouble(b);
            return switch (op) {
                case "+" -> x + y;
                case "-" -> x - y;
                case "*" -> x * y;
                case "/" -> {
                    if (y == 0) {
                        throw divisionByZero();
                    }
                    yield x / y;
                }
                default -> {
                    if (y == 0) {
                        throw divisionByZero();
                    }
                    yield x % y;
                }
            };
        }
        if (a instanceof BigDecimal || b instanceof BigDecimal) {
            BigDecimal x = toDecimal(a);
            BigDecimal y = toDecimal(b);
            return switch (op) {
                case "+" -> x.add(y);
                case "-" -> x.subtract(y);
                case "*" -> x.multiply(y);
                case "/" -> {
                    if (y.signum() == 0) {
                        throw divisionByZero();
                    }
                    yield x.divide(y, Math.max(6, x.scale()), RoundingMode.HALF_UP);
                }
                default -> {
                    if (y.signum() == 0) {
                        throw divisionByZero();
                    }
                    yield x.remainder(y);
                }
            };
        }
        long x = ((Number) a).longValue();
        long y = ((Number) b).longValue();
        return switch (op) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            case "/" -> {
                if (y == 0) {
                    throw divisionByZero();
                }
                yield x / y;
            }
            default -> {
                if (y == 0) {
                    throw divisionByZero();
                }
                yield x % y;
            }
        };
    }

    private static SqlRuntimeError divisionByZero() {
        return new SqlRuntimeError("DIVISION_BY_ZERO", "Division by zero");
    }

    /** Three-way comparison of two non-null values of compatible types. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static int compare(Object a, Object b) {
        if (a instanceof Number && b instanceof Number) {
            if (a instanceof Long x && b instanceof Long y) {
                return Long.compare(x, y);
            }
            if (isFloating(a) || isFloating(b)) {
                return Double.compare(toDouble(a), toDouble(b));
            }
            return toDecimal(a).compareTo(toDecimal(b));
        }
        if (a instanceof SqlTimestamp x && b instanceof String s) {
            return x.compareTo(parseTimestamp(s));
        }
        if (a instanceof String s && b instanceof SqlTimestamp y) {
            return parseTimestamp(s).compareTo(y);
        }
        if (a instanceof String x && b instanceof Number) {
            return compare(parseNumber(x), b);
        }
        if (a instanceof Number && b instanceof String y) {
            return compare(a, parseNumber(y));
        }
        if (a.getClass() == b.getClass() && a instanceof Comparable c) {
            return c.compareTo(b);
        }
        throw new SqlRuntimeError("INVALID_ARGUMENT", "Cannot compare " + typeName(a) + " with " + typeName(b));
    }

    static boolean sqlEquals(Object a, Object b) {
        return compare(a, b) == 0;
    }

    static String typeName(Object v) {
        if (v instanceof String) {
            return "VARCHAR";
        }
        if (v instanceof Long) {
            return "BIGINT";
        }
        if (v instanceof Float) {
            return "REAL";
        }
        if (v instanceof Double) {
            return "DOUBLE";
        }
        if (v instanceof BigDecimal) {
            return "DECIMAL";
        }
        if (v instanceof Boolean) {
            return "BOOLEAN";
        }
        if (v instanceof SqlTimestamp) {
            return "TIMESTAMP";
        }
        return v == null ? "NULL" : v.getClass().getSimpleName();
    }

    private static Object parseNumber(String s) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            throw new SqlRuntimeError("INVALID_ARGUMENT", "Cannot convert '" + s + "' to a number");
        }
    }

    public static SqlTimestamp parseTimestamp(String s) {
        String t = s.trim();
        try {
            if (t.length() == 10) {
                return SqlTimestamp.of(LocalDate.parse(t).atStartOfDay());
            }
            return SqlTimestamp.of(LocalDateTime.parse(t, TIMESTAMP_IN));
        } catch (DateTimeParseException e) {
            throw new SqlRuntimeError("COERCION_ERROR", "Cannot convert '" + s + "' to TIMESTAMP");
        }
    }

    /** Coerces a value to a declared column type; VARCHAR/CHAR values longer than the length are cut. */
    public static Object cast(Object v, TypeSpec type) {
        if (v == null) {
            return null;
        }
        switch (type.base()) {
            case "VARCHAR", "CHAR" -> {
                String s = v instanceof String str ? str : format(v);
                return type.precision() > 0 && s.length() > type.precision() ? s.substring(0, type.precision()) : s;
            }
            case "INTEGER", "BIGINT", "SMALLINT", "TINYINT" -> {
                if (v instanceof Long) {
                    return v;
                }
                if (v instanceof Number n) {
                    return n instanceof BigDecimal d ? d.setScale(0, RoundingMode.DOWN).longValue() : (long) n.doubleValue();
                }
                if (v instanceof Boolean b) {
                    return b ? 1L : 0L;
                }
                if (v instanceof String s) {
                    try {
                        return new BigDecimal(s.trim()).setScale(0, RoundingMode.DOWN).longValueExact();
                    } catch (NumberFormatException | ArithmeticException e) {
                        throw coercion(v, type);
                    }
                }
                throw coercion(v, type);
            }
            case "REAL" -> {
                return (float) asDouble(v, type);
            }
            case "DOUBLE", "FLOAT" -> {
                if (v instanceof Float f) {
                    return Double.parseDouble(f.toString());
                }
                return asDouble(v, type);
            }
            case "DECIMAL" -> {
                BigDecimal d = v instanceof Boolean b ? BigDecimal.valueOf(b ? 1 : 0)
                        : v instanceof String s ? decimal(s, type) : v instanceof Number ? toDecimal(v) : null;
                if (d == null) {
                    throw coercion(v, type);
                }
                return type.scale() >= 0 ? d.setScale(type.scale(), RoundingMode.HALF_UP) : d;
            }
            case "BOOLEAN" -> {
                if (v instanceof Boolean) {
                    return v;
                }
                if (v instanceof Number n) {
                    return n.doubleValue() != 0;
                }
                if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
                    return Boolean.parseBoolean(s);
                }
                throw coercion(v, type);
            }
            case "TIMESTAMP", "DATE", "TIME" -> {
                SqlTimestamp ts;
                if (v instanceof SqlTimestamp t) {
                    ts = t;
                } else if (v instanceof String s) {
                    ts = parseTimestamp(s);
                } else {
                    throw coercion(v, type);
                }
                return type.base().equals("DATE") ? new SqlTimestamp(Math.floorDiv(ts.millis(), 86_400_000L) * 86_400_000L) : ts;
            }
            default -> {
                return v;
            }
        }
    }

    private static BigDecimal decimal(String s, TypeSpec type) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            throw coercion(s, type);
        }
    }

    private static double asDouble(Object v, TypeSpec type) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw coercion(v, type);
            }
        }
        throw coercion(v, type);
    }

    private static SqlRuntimeError coercion(Object v, TypeSpec type) {
        return new SqlRuntimeError("COERCION_ERROR", "Cannot convert " + typeName(v) + " value '" + format(v) + "' to " + type);
    }

    /** The text form of a value, as written to CSV destinations and used by string conversion. */
    public static String format(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return v.toString();
    }

    /** Translates a LIKE or SIMILAR TO pattern into a Java regex matched against the whole string. */
    static Pattern likePattern(String pattern, boolean similar) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '%') {
                sb.append(".*");
            } else if (c == '_') {
                sb.append('.');
            } else if (similar && "|*+?()[]{}".indexOf(c) >= 0) {
                sb.append(c);
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(sb.toString(), Pattern.DOTALL);
    }
}
