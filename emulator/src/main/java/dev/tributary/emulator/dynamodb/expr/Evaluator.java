package dev.tributary.emulator.dynamodb.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.dynamodb.DynamoDbError;
import dev.tributary.emulator.dynamodb.Values;
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
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates parsed expressions against items (an item is a map from attribute name to attribute
 * value, the wire's JSON object), as DynamoDB's "Comparison operator and function reference"
 * describes: a comparison with a missing attribute or a value of another type is false (and
 * {@code <>} true), {@code <}-style operators order only numbers, strings and binaries.
 *
 * <p>Stateless; items passed in are never modified (updates work on a deep copy).
 */
public final class Evaluator {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private Evaluator() {
    }

    /** Whether {@code item} (null for no item) satisfies the condition. */
    public static boolean test(Condition c, ObjectNode item) {
        ObjectNode it = item == null ? NODES.objectNode() : item;
        return eval(c, it);
    }

    private static boolean eval(Condition c, ObjectNode item) {
        if (c instanceof And a) {
            return eval(a.left(), item) && eval(a.right(), item);
        }
        if (c instanceof Or o) {
            return eval(o.left(), item) || eval(o.right(), item);
        }
        if (c instanceof Not n) {
            return !eval(n.inner(), item);
        }
        if (c instanceof Comparison cmp) {
            return compare(value(cmp.left(), item), cmp.operator(), value(cmp.right(), item));
        }
        if (c instanceof Between b) {
            JsonNode v = value(b.value(), item);
            return compare(v, ">=", value(b.low(), item)) && compare(v, "<=", value(b.high(), item));
        }
        if (c instanceof In in) {
            JsonNode v = value(in.value(), item);
            for (Operand o : in.candidates()) {
                if (Values.equal(v, value(o, item))) {
                    return true;
                }
            }
            return false;
        }
        Function f = (Function) c;
        Path path = ((PathOperand) f.arguments().get(0)).path();
        JsonNode v = resolve(path, item);
        switch (f.name()) {
            case "attribute_exists":
                return v != null;
            case "attribute_not_exists":
                return v == null;
            case "attribute_type": {
                JsonNode t = value(f.arguments().get(1), item);
                return v != null && t != null && t.has("S") && t.get("S").asText().equals(Values.type(v));
            }
            case "begins_with": {
                JsonNode prefix = value(f.arguments().get(1), item);
                String vt = Values.type(v);
                if (v == null || prefix == null || !vt.equals(Values.type(prefix)) || !(vt.equals("S") || vt.equals("B"))) {
                    return false;
                }
                byte[] a = bytesOf(v);
                byte[] p = bytesOf(prefix);
                return a.length >= p.length && java.util.Arrays.equals(a, 0, p.length, p, 0, p.length);
            }
            case "contains": {
                JsonNode operand = value(f.arguments().get(1), item);
                return contains(v, operand);
            }
            default:
                throw new IllegalStateException("unknown function " + f.name());
        }
    }

    /** {@code contains(a, b)}: a substring of a string, an element of a set or list. */
    static boolean contains(JsonNode v, JsonNode operand) {
        if (v == null || operand == null) {
            return false;
        }
        String vt = Values.type(v);
        String ot = Values.type(operand);
        switch (vt) {
            case "S":
                return ot.equals("S") && v.get("S").asText().contains(operand.get("S").asText());
            case "B": {
                if (!ot.equals("B")) {
                    return false;
                }
                String hay = java.util.HexFormat.of().formatHex(bytesOf(v));
                String needle = java.util.HexFormat.of().formatHex(bytesOf(operand));
                int i = hay.indexOf(needle);
                while (i >= 0 && i % 2 != 0) {
                    i = hay.indexOf(needle, i + 1);
                }
                return i >= 0;
            }
            case "SS":
            case "NS":
            case "BS":
                if (!ot.equals(vt.substring(0, 1))) {
                    return false;
                }
                return Values.setKeys(v).contains(Values.setKeys(Values.set(vt, List.of(operand.get(ot)))).iterator().next());
            case "L":
                for (JsonNode e : v.get("L")) {
                    if (Values.equal(e, operand)) {
                        return true;
                    }
                }
                return false;
            default:
                return false;
        }
    }

    private static byte[] bytesOf(JsonNode v) {
        if (v.has("S")) {
            return v.get("S").asText().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return v.get("B").binaryValue();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** DynamoDB's comparison of two operands, either possibly missing (null). */
    public static boolean compare(JsonNode a, String operator, JsonNode b) {
        if (operator.equals("=")) {
            return Values.equal(a, b);
        }
        if (operator.equals("<>")) {
            return !Values.equal(a, b);
        }
        if (a == null || b == null) {
            return false;
        }
        String t = Values.type(a);
        if (t == null || !t.equals(Values.type(b)) || !(t.equals("N") || t.equals("S") || t.equals("B"))) {
            return false;
        }
        int c = Values.compare(a, b);
        return switch (operator) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            default -> throw new IllegalStateException("unknown operator " + operator);
        };
    }

    /** The value of an operand, or null when it names a missing attribute. */
    static JsonNode value(Operand o, ObjectNode item) {
        if (o instanceof Literal l) {
            return l.value();
        }
        if (o instanceof PathOperand p) {
            return resolve(p.path(), item);
        }
        if (o instanceof Size s) {
            JsonNode v = resolve(s.path(), item);
            if (v == null) {
                return null;
            }
            String t = Values.type(v);
            JsonNode inner = v.get(t);
            long n = switch (t) {
                case "S" -> inner.asText().getBytes(StandardCharsets.UTF_8).length;
                case "B" -> bytesOf(v).length;
                case "SS", "NS", "BS", "L", "M" -> inner.size();
                default -> -1;
            };
            return n < 0 ? null : Values.n(BigDecimal.valueOf(n));
        }
        if (o instanceof IfNotExists ine) {
            JsonNode v = resolve(ine.path(), item);
            return v != null ? v : value(ine.fallback(), item);
        }
        if (o instanceof ListAppend la) {
            JsonNode a = value(la.first(), item);
            JsonNode b = value(la.second(), item);
            if (a == null || b == null || !"L".equals(Values.type(a)) || !"L".equals(Values.type(b))) {
                throw DynamoDbError.validation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: "
                        + typeName(a == null || !"L".equals(Values.type(a)) ? a : b));
            }
            ObjectNode out = NODES.objectNode();
            ArrayNode list = out.putArray("L");
            a.get("L").forEach(list::add);
            b.get("L").forEach(list::add);
            return out;
        }
        Arithmetic ar = (Arithmetic) o;
        JsonNode a = value(ar.left(), item);
        JsonNode b = value(ar.right(), item);
        if (a == null || b == null) {
            throw DynamoDbError.validation("The provided expression refers to an attribute that does not exist in the item");
        }
        if (!"N".equals(Values.type(a)) || !"N".equals(Values.type(b))) {
            throw DynamoDbError.validation("An operand in the update expression has an incorrect data type");
        }
        BigDecimal r = ar.operator() == '+' ? Values.number(a).add(Values.number(b)) : Values.number(a).subtract(Values.number(b));
        return Values.n(r);
    }

    private static String typeName(JsonNode v) {
        if (v == null) {
            return "NULL";
        }
        return switch (Values.type(v)) {
            case "S" -> "S";
            case "N" -> "N";
            case "M" -> "M";
            default -> Values.type(v);
        };
    }

    /** The value at a document path, or null. */
    public static JsonNode resolve(Path path, ObjectNode item) {
        JsonNode cur = item.get(path.top());
        for (int i = 1; i < path.elements().size() && cur != null; i++) {
            Object e = path.elements().get(i);
            if (e instanceof Integer idx) {
                JsonNode l = cur.get("L");
                cur = l == null || idx >= l.size() ? null : l.get(idx);
            } else {
                JsonNode m = cur.get("M");
                cur = m == null ? null : m.get((String) e);
            }
        }
        return cur;
    }

    /**
     * Applies an update expression to a copy of {@code item} (null: no item yet; the key
     * attributes are then in {@code key}) and returns the new item. Every operand is evaluated
     * against the old item, as DynamoDB does.
     */
    public static ObjectNode apply(Update update, ObjectNode item, ObjectNode key) {
        ObjectNode old = item == null ? key.deepCopy() : item;
        ObjectNode out = old.deepCopy();
        // Values first, from the old item, then the writes.
        Map<SetAction, JsonNode> setValues = new LinkedHashMap<>();
        for (SetAction s : update.sets()) {
            JsonNode v = value(s.value(), old);
            if (v == null) {
                throw DynamoDbError.validation("The provided expression refers to an attribute that does not exist in the item");
            }
            setValues.put(s, v);
        }
        setValues.forEach((s, v) -> set(out, s.path(), v));
        List<Path> removes = new ArrayList<>(update.removes());
        // Remove list elements from the highest index down, so earlier removals do not shift later ones.
        removes.sort((x, y) -> {
            Object a = x.elements().get(x.elements().size() - 1);
            Object b = y.elements().get(y.elements().size() - 1);
            return a instanceof Integer ia && b instanceof Integer ib ? Integer.compare(ib, ia) : 0;
        });
        removes.forEach(p -> remove(out, p));
        for (ValueAction a : update.adds()) {
            add(out, a);
        }
        for (ValueAction d : update.deletes()) {
            delete(out, d);
        }
        return out;
    }

    private static void set(ObjectNode item, Path path, JsonNode value) {
        if (path.isTopLevel()) {
            item.set(path.top(), value.deepCopy());
            return;
        }
        JsonNode parent = resolve(new Path(path.elements().subList(0, path.elements().size() - 1)), item);
        Object last = path.elements().get(path.elements().size() - 1);
        if (parent != null && last instanceof Integer idx && parent.get("L") instanceof ArrayNode list) {
            if (idx >= list.size()) {
                list.add(value.deepCopy());
            } else {
                list.set(idx, value.deepCopy());
            }
            return;
        }
        if (parent != null && last instanceof String name && parent.get("M") instanceof ObjectNode map) {
            map.set(name, value.deepCopy());
            return;
        }
        throw DynamoDbError.validation("The document path provided in the update expression is invalid for update");
    }

    private static void remove(ObjectNode item, Path path) {
        if (path.isTopLevel()) {
            item.remove(path.top());
            return;
        }
        JsonNode parent = resolve(new Path(path.elements().subList(0, path.elements().size() - 1)), item);
        Object last = path.elements().get(path.elements().size() - 1);
        if (parent != null && last instanceof Integer idx && parent.get("L") instanceof ArrayNode list) {
            if (idx < list.size()) {
                list.remove(idx.intValue());
            }
        } else if (parent != null && last instanceof String name && parent.get("M") instanceof ObjectNode map) {
            map.remove(name);
        } else if (parent == null || !(parent.has("M") || parent.has("L"))) {
            throw DynamoDbError.validation("The document path provided in the update expression is invalid for update");
        }
    }

    private static void add(ObjectNode item, ValueAction a) {
        JsonNode operand = a.value().value();
        String ot = Values.type(operand);
        JsonNode current = resolve(a.path(), item);
        if (!(ot.equals("N") || ot.equals("SS") || ot.equals("NS") || ot.equals("BS"))) {
            throw DynamoDbError.validation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: "
                    + typeLongName(ot));
        }
        if (current == null) {
            set(item, a.path(), operand);
            return;
        }
        String ct = Values.type(current);
        if (!ct.equals(ot)) {
            throw DynamoDbError.validation("An operand in the update expression has an incorrect data type");
        }
        if (ot.equals("N")) {
            set(item, a.path(), Values.n(Values.number(current).add(Values.number(operand))));
            return;
        }
        Map<String, JsonNode> union = new LinkedHashMap<>();
        for (JsonNode e : current.get(ct)) {
            union.put(Values.setKeysOf(ct, e), e);
        }
        for (JsonNode e : operand.get(ot)) {
            union.putIfAbsent(Values.setKeysOf(ot, e), e);
        }
        set(item, a.path(), Values.setOf(ot, union.values()));
    }

    private static void delete(ObjectNode item, ValueAction d) {
        JsonNode operand = d.value().value();
        String ot = Values.type(operand);
        if (!(ot.equals("SS") || ot.equals("NS") || ot.equals("BS"))) {
            throw DynamoDbError.validation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: "
                    + typeLongName(ot));
        }
        JsonNode current = resolve(d.path(), item);
        if (current == null) {
            return;
        }
        String ct = Values.type(current);
        if (!ct.equals(ot)) {
            throw DynamoDbError.validation("An operand in the update expression has an incorrect data type");
        }
        java.util.Set<String> gone = Values.setKeysOf(operand);
        List<JsonNode> left = new ArrayList<>();
        for (JsonNode e : current.get(ct)) {
            if (!gone.contains(Values.setKeysOf(ct, e))) {
                left.add(e);
            }
        }
        if (left.isEmpty()) {
            remove(item, d.path());
        } else {
            set(item, d.path(), Values.setOf(ct, left));
        }
    }

    private static String typeLongName(String t) {
        return switch (t) {
            case "S" -> "STRING";
            case "N" -> "NUMBER";
            case "B" -> "BINARY";
            case "BOOL" -> "BOOLEAN";
            case "NULL" -> "NULL";
            case "M" -> "MAP";
            case "L" -> "LIST";
            case "SS" -> "STRING SET";
            case "NS" -> "NUMBER SET";
            default -> "BINARY SET";
        };
    }

    /** The item reduced to the given paths (a ProjectionExpression). */
    public static ObjectNode project(ObjectNode item, List<Path> paths) {
        ObjectNode out = NODES.objectNode();
        for (Path p : paths) {
            JsonNode v = resolve(p, item);
            if (v == null) {
                continue;
            }
            if (p.isTopLevel()) {
                out.set(p.top(), v);
            } else {
                // Nested projections keep the enclosing maps and lists, with only the projected parts.
                projectInto(out, item, p);
            }
        }
        return out;
    }

    private static void projectInto(ObjectNode out, ObjectNode item, Path p) {
        JsonNode src = item.get(p.top());
        JsonNode dst = out.get(p.top());
        if (dst == null) {
            dst = emptyLike(src);
            out.set(p.top(), dst);
        }
        for (int i = 1; i < p.elements().size(); i++) {
            Object e = p.elements().get(i);
            boolean last = i == p.elements().size() - 1;
            if (e instanceof Integer idx) {
                JsonNode next = src.get("L").get(idx);
                ArrayNode l = (ArrayNode) dst.get("L");
                JsonNode n = last ? next : emptyLike(next);
                l.add(n);
                src = next;
                dst = n;
            } else {
                JsonNode next = src.get("M").get((String) e);
                ObjectNode m = (ObjectNode) dst.get("M");
                JsonNode n = m.get((String) e);
                if (n == null || last) {
                    n = last ? next : emptyLike(next);
                    m.set((String) e, n);
                }
                src = next;
                dst = n;
            }
        }
    }

    private static JsonNode emptyLike(JsonNode v) {
        ObjectNode n = NODES.objectNode();
        if (v.has("L")) {
            n.putArray("L");
        } else {
            n.putObject("M");
        }
        return n;
    }
}
