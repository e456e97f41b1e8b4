package dev.tributary.analytics.exec;

import dev.tributary.analytics.SqlTimestamp;
import dev.tributary.analytics.sql.Ast;
import dev.tributary.analytics.sql.Ast.Expr;
import dev.tributary.analytics.sql.SqlException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.ParseException;
import java.text.SimpleDateFormat;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Compiles expression trees into {@link Ev} closures over a {@link Scope}. */
final class Exprs {
    static final Set<String> AGGREGATES = Set.of("COUNT", "SUM", "AVG", "MIN", "MAX");

    private Exprs() {
    }

    static boolean isAggregate(Expr e) {
        return e instanceof Ast.Call c && AGGREGATES.contains(c.name()) && !c.windowed();
    }

    /** Visits every node of an expression tree (pre-order). */
    static void walk(Expr e, java.util.function.Consumer<Expr> visitor) {
        if (e == null) {
            return;
        }
        visitor.accept(e);
        if (e instanceof Ast.Binary b) {
            walk(b.left(), visitor);
            walk(b.right(), visitor);
        } else if (e instanceof Ast.Unary u) {
            walk(u.operand(), visitor);
        } else if (e instanceof Ast.Call c) {
            c.args().forEach(a -> walk(a, visitor));
        } else if (e instanceof Ast.Cast c) {
            walk(c.operand(), visitor);
        } else if (e instanceof Ast.Case c) {
            walk(c.operand(), visitor);
            c.whens().forEach(w -> {
                walk(w.condition(), visitor);
                walk(w.result(), visitor);
            });
            walk(c.otherwise(), visitor);
        } else if (e instanceof Ast.IsNull n) {
            walk(n.operand(), visitor);
        } else if (e instanceof Ast.Like l) {
            walk(l.operand(), visitor);
            walk(l.pattern(), visitor);
        } else if (e instanceof Ast.Between b) {
            walk(b.operand(), visitor);
            walk(b.low(), visitor);
            walk(b.high(), visitor);
        } else if (e instanceof Ast.In i) {
            walk(i.operand(), visitor);
            i.values().forEach(v -> walk(v, visitor));
        } else if (e instanceof Ast.FloorTo f) {
            walk(f.operand(), visitor);
        } else if (e instanceof Ast.Extract x) {
            walk(x.operand(), visitor);
        }
    }

    /** A text form with names resolved to slots, so that equal expressions compare equal. */
    static String canon(Expr e, Scope scope) {
        if (e instanceof Ast.Literal l) {
            return l.value() instanceof String s ? "'" + s + "'" : String.valueOf(l.value());
        }
        if (e instanceof Ast.Interval i) {
            return "INTERVAL " + i.millis();
        }
        if (e instanceof Ast.Column c) {
            Scope.ResolvedName r = scope.resolve(c);
            return "#" + r.entry().index() + c.parts().subList(r.used(), c.parts().size());
        }
        if (e instanceof Ast.RowtimeRef) {
            return "ROWTIME";
        }
        if (e instanceof Ast.Binary b) {
            return "(" + canon(b.left(), scope) + " " + b.op() + " " + canon(b.right(), scope) + ")";
        }
        if (e instanceof Ast.Unary u) {
            return u.op() + "(" + canon(u.operand(), scope) + ")";
        }
        if (e instanceof Ast.Call c) {
            return c.name() + (c.distinct() ? "(DISTINCT " : "(") + (c.star() ? "*" : "")
                    + c.args().stream().map(a -> canon(a, scope)).collect(Collectors.joining(",")) + ")"
                    + (c.windowed() ? " OVER " + c.over() + System.identityHashCode(c) : "");
        }
        if (e instanceof Ast.Cast c) {
            return "CAST(" + canon(c.operand(), scope) + " AS " + c.type() + ")";
        }
        if (e instanceof Ast.FloorTo f) {
            return (f.ceil() ? "CEIL(" : "FLOOR(") + canon(f.operand(), scope) + " TO " + f.unit() + ")";
        }
        if (e instanceof Ast.Extract x) {
            return "EXTRACT(" + x.unit() + " FROM " + canon(x.operand(), scope) + ")";
        }
        return "@" + System.identityHashCode(e);
    }

    static SqlException error(Expr e, String message) {
        return new SqlException(e.pos().line(), e.pos().column(), message);
    }

    static Ev compile(Expr e, Scope scope) {
        Integer slot = scope.nodes.get(e);
        if (slot == null && !scope.computed.isEmpty() && !(e instanceof Ast.Literal)) {
            slot = scope.computed.get(canon(e, scope));
        }
        if (slot != null) {
            int i = slot;
            return (v, t) -> v[i];
        }
        if (e instanceof Ast.Literal l) {
            Object value = l.value();
            return (v, t) -> value;
        }
        if (e instanceof Ast.Interval i) {
            Long ms = i.millis();
            return (v, t) -> ms;
        }
        if (e instanceof Ast.RowtimeRef) {
            return (v, t) -> new SqlTimestamp(t);
        }
        if (e instanceof Ast.Column c) {
            return column(c, scope);
        }
        if (e instanceof Ast.Binary b) {
            return binary(b, scope);
        }
        if (e instanceof Ast.Unary u) {
            Ev x = compile(u.operand(), scope);
            if (u.op().equals("NOT")) {
                return (v, t) -> {
                    Object o = x.eval(v, t);
                    return o == null ? null : !(Boolean) o;
                };
            }
            return (v, t) -> {
                Object o = x.eval(v, t);
                return o == null ? null : Values.arithmetic("-", 0L, o);
            };
        }
        if (e instanceof Ast.Cast c) {
            Ev x = compile(c.operand(), scope);
            Ast.TypeSpec type = c.type();
            return (v, t) -> Values.cast(x.eval(v, t), type);
        }
        if (e instanceof Ast.Case c) {
            return caseExpr(c, scope);
        }
        if (e instanceof Ast.IsNull n) {
            Ev x = compile(n.operand(), scope);
            boolean neg = n.negated();
            return (v, t) -> (x.eval(v, t) == null) != neg;
        }
        if (e instanceof Ast.Like l) {
            return like(l, scope);
        }
        if (e instanceof Ast.Between b) {
            Ev x = compile(b.operand(), scope);
            Ev lo = compile(b.low(), scope);
            Ev hi = compile(b.high(), scope);
            boolean neg = b.negated();
            return (v, t) -> {
                Object o = x.eval(v, t);
                Object a = lo.eval(v, t);
                Object z = hi.eval(v, t);
                if (o == null || a == null || z == null) {
                    return null;
                }
                return (Values.compare(o, a) >= 0 && Values.compare(o, z) <= 0) != neg;
            };
        }
        if (e instanceof Ast.In in) {
            Ev x = compile(in.operand(), scope);
            List<Ev> values = in.values().stream().map(a -> compile(a, scope)).toList();
            boolean neg = in.negated();
            return (v, t) -> {
                Object o = x.eval(v, t);
                if (o == null) {
                    return null;
                }
                for (Ev candidate : values) {
                    Object c = candidate.eval(v, t);
                    if (c != null && Values.compare(o, c) == 0) {
                        return !neg;
                    }
                }
                return neg;
            };
        }
        if (e instanceof Ast.FloorTo f) {
            return floorTo(f, scope);
        }
        if (e instanceof Ast.Extract x) {
            return extract(x, scope);
        }
        return call((Ast.Call) e, scope);
    }

    private static Ev column(Ast.Column c, Scope scope) {
        if (scope.groupingError != null) {
            throw error(c, "Expression '" + String.join(".", c.parts()) + "' is not being grouped");
        }
        Scope.ResolvedName r = scope.resolve(c);
        int index = r.entry().index();
        List<String> fields = c.parts().subList(r.used(), c.parts().size());
        if (fields.isEmpty()) {
            return (v, t) -> v[index];
        }
        List<String> path = List.copyOf(fields);
        return (v, t) -> {
            Object o = v[index];
            for (String f : path) {
                if (!(o instanceof Map<?, ?> m)) {
                    return null;
                }
                o = m.get(f);
            }
            return o;
        };
    }

    private static Ev binary(Ast.Binary b, Scope scope) {
        Ev l = compile(b.left(), scope);
        Ev r = compile(b.right(), scope);
        return switch (b.op()) {
            case "AND" -> (v, t) -> {
                Object x = l.eval(v, t);
                if (Boolean.FALSE.equals(x)) {
                    return false;
                }
                Object y = r.eval(v, t);
                if (Boolean.FALSE.equals(y)) {
                    return false;
                }
                return x == null || y == null ? null : true;
            };
            case "OR" -> (v, t) -> {
                Object x = l.eval(v, t);
                if (Boolean.TRUE.equals(x)) {
                    return true;
                }
                Object y = r.eval(v, t);
                if (Boolean.TRUE.equals(y)) {
                    return true;
                }
                return x == null || y == null ? null : false;
            };
            case "||" -> (v, t) -> {
                Object x = l.eval(v, t);
                Object y = r.eval(v, t);
                return x == null || y == null ? null : Values.format(x) + Values.format(y);
            };
            case "=", "<>", "<", ">", "<=", ">=" -> {
                String op = b.op();
                yield (v, t) -> {
                    Object x = l.eval(v, t);
                    Object y = r.eval(v, t);
                    if (x == null || y == null) {
                        return null;
                    }
                    int c = Values.compare(x, y);
                    return switch (op) {
                        case "=" -> c == 0;
                        case "<>" -> c != 0;
                        case "<" -> c < 0;
                        case ">" -> c > 0;
                        case "<=" -> c <= 0;
                        default -> c >= 0;
                    };
                };
            }
            default -> {
                String op = b.op();
                yield (v, t) -> Values.arithmetic(op, l.eval(v, t), r.eval(v, t));
            }
        };
    }

    private static Ev caseExpr(Ast.Case c, Scope scope) {
        Ev operand = c.operand() == null ? null : compile(c.operand(), scope);
        List<Ev> conditions = c.whens().stream().map(w -> compile(w.condition(), scope)).toList();
        List<Ev> results = c.whens().stream().map(w -> compile(w.result(), scope)).toList();
        Ev otherwise = c.otherwise() == null ? (v, t) -> null : compile(c.otherwise(), scope);
        return (v, t) -> {
            Object base = operand == null ? null : operand.eval(v, t);
            for (int i = 0; i < conditions.size(); i++) {
                Object cond = conditions.get(i).eval(v, t);
                boolean hit = operand == null ? Boolean.TRUE.equals(cond)
                        : base != null && cond != null && Values.compare(base, cond) == 0;
                if (hit) {
                    return results.get(i).eval(v, t);
                }
            }
            return otherwise.eval(v, t);
        };
    }

    private static Ev like(Ast.Like l, Scope scope) {
        Ev x = compile(l.operand(), scope);
        boolean neg = l.negated();
        boolean similar = l.similar();
        if (l.pattern() instanceof Ast.Literal lit && lit.value() instanceof String p) {
            Pattern pattern = Values.likePattern(p, similar);
            return (v, t) -> {
                Object o = x.eval(v, t);
                return o == null ? null : pattern.matcher(Values.format(o)).matches() != neg;
            };
        }
        Ev pe = compile(l.pattern(), scope);
        return (v, t) -> {
            Object o = x.eval(v, t);
            Object p = pe.eval(v, t);
            return o == null || p == null ? null
                    : Values.likePattern(Values.format(p), similar).matcher(Values.format(o)).matches() != neg;
        };
    }

    static long unitMillis(String unit, Expr at) {
        return switch (unit) {
            case "MILLISECOND" -> 1L;
            case "SECOND" -> 1000L;
            case "MINUTE" -> 60_000L;
            case "HOUR" -> 3_600_000L;
            case "DAY" -> 86_400_000L;
            default -> throw error(at, "Unsupported time unit " + unit);
        };
    }

    private static Ev floorTo(Ast.FloorTo f, Scope scope) {
        Ev x = compile(f.operand(), scope);
        boolean ceil = f.ceil();
        if (f.unit().equals("MONTH") || f.unit().equals("YEAR")) {
            boolean year = f.unit().equals("YEAR");
            return (v, t) -> {
                Object o = x.eval(v, t);
                if (o == null) {
                    return null;
                }
                LocalDateTime d = timestamp(o).toLocalDateTime();
                LocalDateTime floor = year ? LocalDateTime.of(d.getYear(), 1, 1, 0, 0)
                        : LocalDateTime.of(d.getYear(), d.getMonth(), 1, 0, 0);
                if (ceil && !floor.equals(d)) {
                    floor = year ? floor.plusYears(1) : floor.plusMonths(1);
                }
                return SqlTimestamp.of(floor);
            };
        }
        long unit = unitMillis(f.unit(), f);
        return (v, t) -> {
            Object o = x.eval(v, t);
            if (o == null) {
                return null;
            }
            long ms = timestamp(o).millis();
            long floor = Math.floorDiv(ms, unit) * unit;
            return new SqlTimestamp(ceil && floor != ms ? floor + unit : floor);
        };
    }

    static SqlTimestamp timestamp(Object o) {
        if (o instanceof SqlTimestamp ts) {
            return ts;
        }
        if (o instanceof String s) {
            return Values.parseTimestamp(s);
        }
        throw new SqlRuntimeError("INVALID_ARGUMENT", "Expected a TIMESTAMP, got " + Values.typeName(o));
    }

    private static Ev extract(Ast.Extract x, Scope scope) {
        Ev e = compile(x.operand(), scope);
        String unit = x.unit();
        if (!Set.of("YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "MILLISECOND", "DOW", "DOY", "QUARTER", "EPOCH").contains(unit)) {
            throw error(x, "Unsupported EXTRACT unit " + unit);
        }
        return (v, t) -> {
            Object o = e.eval(v, t);
            if (o == null) {
                return null;
            }
            SqlTimestamp ts = timestamp(o);
            LocalDateTime d = ts.toLocalDateTime();
            return switch (unit) {
                case "YEAR" -> (long) d.getYear();
                case "MONTH" -> (long) d.getMonthValue();
                case "DAY" -> (long) d.getDayOfMonth();
                case "HOUR" -> (long) d.getHour();
                case "MINUTE" -> (long) d.getMinute();
                case "SECOND" -> (long) d.getSecond();
                case "MILLISECOND" -> (long) (d.getNano() / 1_000_000);
                case "DOW" -> (long) (d.getDayOfWeek().getValue() % 7 + 1);
                case "DOY" -> (long) d.getDayOfYear();
                case "QUARTER" -> (long) ((d.getMonthValue() - 1) / 3 + 1);
                default -> Math.floorDiv(ts.millis(), 1000L);
            };
        };
    }

    private static Ev call(Ast.Call c, Scope scope) {
        if (AGGREGATES.contains(c.name())) {
            throw error(c, c.windowed()
                    ? "Window '" + c.over() + "' is not defined"
                    : "Aggregate " + c.name() + " needs a GROUP BY with a monotonic expression or an OVER window");
        }
        List<Ev> args = new ArrayList<>();
        for (Expr a : c.args()) {
            args.add(compile(a, scope));
        }
        String name = c.name();
        return switch (name) {
            case "ABS" -> unary(c, args, 1, o -> o instanceof Long l ? (Object) Math.abs(l)
                    : o instanceof BigDecimal d ? d.abs() : o instanceof Float f ? (Object) Math.abs(f) : (Object) Math.abs(Values.toDouble(o)));
            case "UPPER" -> unary(c, args, 1, o -> Values.format(o).toUpperCase(java.util.Locale.ROOT));
            case "LOWER" -> unary(c, args, 1, o -> Values.format(o).toLowerCase(java.util.Locale.ROOT));
            case "INITCAP" -> unary(c, args, 1, o -> initcap(Values.format(o)));
            case "CHAR_LENGTH", "CHARACTER_LENGTH" -> unary(c, args, 1, o -> (long) Values.format(o).length());
            case "MONOTONIC" -> unary(c, args, 1, o -> o);
            case "SQRT" -> unary(c, args, 1, o -> Math.sqrt(Values.toDouble(o)));
            case "LN" -> unary(c, args, 1, o -> Math.log(Values.toDouble(o)));
            case "LOG10" -> unary(c, args, 1, o -> Math.log10(Values.toDouble(o)));
            case "EXP" -> unary(c, args, 1, o -> Math.exp(Values.toDouble(o)));
            case "FLOOR" -> unary(c, args, 1, o -> o instanceof Long ? o : o instanceof BigDecimal d
                    ? d.setScale(0, RoundingMode.FLOOR) : (Object) Math.floor(Values.toDouble(o)));
            case "CEIL" -> unary(c, args, 1, o -> o instanceof Long ? o : o instanceof BigDecimal d
                    ? d.setScale(0, RoundingMode.CEILING) : (Object) Math.ceil(Values.toDouble(o)));
            case "UNIX_TIMESTAMP" -> unary(c, args, 1, o -> timestamp(o).millis());
            case "POWER" -> binaryFn(c, args, (a, b) -> Math.pow(Values.toDouble(a), Values.toDouble(b)));
            case "MOD" -> binaryFn(c, args, (a, b) -> Values.arithmetic("%", a, b));
            case "TSDIFF" -> binaryFn(c, args, (a, b) -> timestamp(a).millis() - timestamp(b).millis());
            case "NULLIF" -> {
                arity(c, args, 2);
                Ev a = args.get(0);
                Ev b = args.get(1);
                yield (v, t) -> {
                    Object x = a.eval(v, t);
                    Object y = b.eval(v, t);
                    return x != null && y != null && Values.compare(x, y) == 0 ? null : x;
                };
            }
            case "COALESCE" -> (v, t) -> {
                for (Ev a : args) {
                    Object o = a.eval(v, t);
                    if (o != null) {
                        return o;
                    }
                }
                return null;
            };
            case "STEP" -> step(c, args);
            case "SUBSTRING" -> substring(c, args);
            case "POSITION" -> binaryFn(c, args, (a, b) -> (long) (Values.format(b).indexOf(Values.format(a)) + 1));
            case "TRIM" -> trim(c, args);
            case "CURRENT_ROW_TIMESTAMP", "CURRENT_TIMESTAMP", "LOCALTIMESTAMP" -> (v, t) -> new SqlTimestamp(t);
            case "TIMESTAMP_TO_CHAR" -> {
                arity(c, args, 2);
                Ev f = args.get(0);
                Ev x = args.get(1);
                yield (v, t) -> {
                    Object fmt = f.eval(v, t);
                    Object o = x.eval(v, t);
                    if (fmt == null || o == null) {
                        return null;
                    }
                    SimpleDateFormat sdf = new SimpleDateFormat(Values.format(fmt));
                    sdf.setTimeZone(TimeZone.getTimeZone("UTC"));
                    return sdf.format(new Date(timestamp(o).millis()));
                };
            }
            case "CHAR_TO_TIMESTAMP" -> {
                arity(c, args, 2);
                Ev f = args.get(0);
                Ev x = args.get(1);
                yield (v, t) -> {
                    Object fmt = f.eval(v, t);
                    Object o = x.eval(v, t);
                    if (fmt == null || o == null) {
                        return null;
                    }
                    SimpleDateFormat sdf = new SimpleDateFormat(Values.format(fmt));
                    sdf.setTimeZone(TimeZone.getTimeZone("UTC"));
                    try {
                        return new SqlTimestamp(sdf.parse(Values.format(o)).getTime());
                    } catch (ParseException e) {
                        throw new SqlRuntimeError("COERCION_ERROR", "Cannot parse '" + o + "' with format '" + fmt + "'");
                    }
                };
            }
            case "REGEX_LOG_PARSE" -> regexLogParse(c, args);
            default -> throw error(c, "No match found for function signature " + name + "(...)");
        };
    }

    private static void arity(Ast.Call c, List<Ev> args, int n) {
        if (args.size() != n) {
            throw error(c, "Invalid number of arguments to function '" + c.name() + "'. Was expecting " + n + " arguments");
        }
    }

    private static Ev unary(Ast.Call c, List<Ev> args, int n, java.util.function.Function<Object, Object> f) {
        arity(c, args, n);
        Ev a = args.get(0);
        return (v, t) -> {
            Object o = a.eval(v, t);
            return o == null ? null : f.apply(o);
        };
    }

    private static Ev binaryFn(Ast.Call c, List<Ev> args, java.util.function.BinaryOperator<Object> f) {
        arity(c, args, 2);
        Ev a = args.get(0);
        Ev b = args.get(1);
        return (v, t) -> {
            Object x = a.eval(v, t);
            Object y = b.eval(v, t);
            return x == null || y == null ? null : f.apply(x, y);
        };
    }

    private static Ev step(Ast.Call c, List<Ev> args) {
        arity(c, args, 2);
        Ev a = args.get(0);
        Ev b = args.get(1);
        return (v, t) -> {
            Object x = a.eval(v, t);
            Object size = b.eval(v, t);
            if (x == null || size == null) {
                return null;
            }
            long s = ((Number) size).longValue();
            if (s <= 0) {
                throw new SqlRuntimeError("INVALID_ARGUMENT", "STEP size must be positive");
            }
            if (x instanceof SqlTimestamp ts) {
                return new SqlTimestamp(Math.floorDiv(ts.millis(), s) * s);
            }
            if (x instanceof Long l) {
                return Math.floorDiv(l, s) * s;
            }
            double d = Values.toDouble(x);
            return Math.floor(d / s) * s;
        };
    }

    private static Ev substring(Ast.Call c, List<Ev> args) {
        if (args.size() < 2 || args.size() > 3) {
            throw error(c, "Invalid number of arguments to function 'SUBSTRING'");
        }
        return (v, t) -> {
            Object s = args.get(0).eval(v, t);
            Object from = args.get(1).eval(v, t);
            Object len = args.size() == 3 ? args.get(2).eval(v, t) : null;
            if (s == null || from == null || (args.size() == 3 && len == null)) {
                return null;
            }
            String str = Values.format(s);
            long start = ((Number) from).longValue() - 1;
            long end = len == null ? str.length() : start + ((Number) len).longValue();
            start = Math.max(0, start);
            end = Math.min(str.length(), end);
            return start >= end ? "" : str.substring((int) start, (int) end);
        };
    }

    private static Ev trim(Ast.Call c, List<Ev> args) {
        String mode = (String) ((Ast.Literal) c.args().get(0)).value();
        Ev chars = args.get(1);
        Ev x = args.get(2);
        return (v, t) -> {
            Object o = x.eval(v, t);
            Object ch = chars.eval(v, t);
            if (o == null || ch == null) {
                return null;
            }
            String s = Values.format(o);
            String cs = Values.format(ch);
            int b = 0;
            int e = s.length();
            if (!mode.equals("TRAILING")) {
                while (b < e && cs.indexOf(s.charAt(b)) >= 0) {
                    b++;
                }
            }
            if (!mode.equals("LEADING")) {
                while (e > b && cs.indexOf(s.charAt(e - 1)) >= 0) {
                    e--;
                }
            }
            return s.substring(b, e);
        };
    }

    private static Ev regexLogParse(Ast.Call c, List<Ev> args) {
        if (args.size() < 2) {
            throw error(c, "Invalid number of arguments to function 'REGEX_LOG_PARSE'. Was expecting 2 arguments");
        }
        Ev s = args.get(0);
        Ev p = args.get(1);
        Pattern constant = c.args().get(1) instanceof Ast.Literal l && l.value() instanceof String str ? compileRegex(c, str) : null;
        return (v, t) -> {
            Object o = s.eval(v, t);
            if (o == null) {
                return null;
            }
            Pattern pattern = constant != null ? constant : Pattern.compile(Values.format(p.eval(v, t)));
            Matcher m = pattern.matcher(Values.format(o));
            if (!m.matches()) {
                return null;
            }
            Map<String, Object> rec = new LinkedHashMap<>();
            for (int g = 1; g <= m.groupCount(); g++) {
                rec.put("COLUMN" + g, m.group(g));
            }
            return rec;
        };
    }

    private static Pattern compileRegex(Ast.Call c, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (RuntimeException e) {
            throw error(c, "Invalid regular expression '" + regex + "'");
        }
    }

    private static String initcap(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean start = true;
        for (char ch : s.toCharArray()) {
            sb.append(start ? Character.toUpperCase(ch) : Character.toLowerCase(ch));
            start = !Character.isLetterOrDigit(ch);
        }
        return sb.toString();
    }
}
