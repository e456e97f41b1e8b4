package dev.tributary.emulator.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * DynamoDB {@code AttributeValue}s as the JSON trees the wire carries ({@code {"S": "x"}},
 * {@code {"N": "1.5"}}, {@code {"B": <bytes>}}, {@code {"SS": [...]}}, {@code {"M": {...}}} ...):
 * their type, DynamoDB's equality (sets compare as sets, numbers by value) and ordering (numbers
 * by value, strings and binaries by their unsigned bytes), validation as DynamoDB applies it to a
 * written item, and the item size DynamoDB bills.
 *
 * <p>Stateless; values passed in are never modified.
 */
public final class Values {
    static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final Set<String> TYPES = Set.of("S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS");

    private Values() {
    }

    /** The type letter(s) of a value ({@code S}, {@code N}, {@code SS} ...); null when it is not one value. */
    public static String type(JsonNode value) {
        if (value == null || !value.isObject() || value.size() != 1) {
            return null;
        }
        String t = value.fieldNames().next();
        return TYPES.contains(t) ? t : null;
    }

    public static ObjectNode s(String v) {
        ObjectNode n = NODES.objectNode();
        n.put("S", v);
        return n;
    }

    public static ObjectNode n(BigDecimal v) {
        ObjectNode n = NODES.objectNode();
        n.put("N", v.stripTrailingZeros().toPlainString());
        return n;
    }

    public static ObjectNode bool(boolean v) {
        ObjectNode n = NODES.objectNode();
        n.put("BOOL", v);
        return n;
    }

    /** The number of an {@code N} value. */
    public static BigDecimal number(JsonNode value) {
        return new BigDecimal(value.get("N").asText());
    }

    /** The bytes of an {@code S} (UTF-8) or {@code B} value. */
    static byte[] bytes(JsonNode value) {
        JsonNode s = value.get("S");
        if (s != null) {
            return s.asText().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return value.get("B").binaryValue();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("B value is not binary", e);
        }
    }

    /** Whether a value's type is ordered (N, S, B): the only ones {@code <} and key conditions accept. */
    static boolean ordered(String type) {
        return "N".equals(type) || "S".equals(type) || "B".equals(type);
    }

    /** Orders two values of the same scalar type (N, S or B), as DynamoDB sorts range keys. */
    public static int compare(JsonNode a, JsonNode b) {
        String t = type(a);
        if (!t.equals(type(b))) {
            throw new IllegalArgumentException("different types " + t + " and " + type(b));
        }
        if (t.equals("N")) {
            return number(a).compareTo(number(b));
        }
        return Arrays.compareUnsigned(bytes(a), bytes(b));
    }

    /** DynamoDB equality: same type and same value; sets equal as sets, numbers by value. */
    public static boolean equal(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return false;
        }
        String t = type(a);
        if (t == null || !t.equals(type(b))) {
            return false;
        }
        switch (t) {
            case "N":
                return compare(a, b) == 0;
            case "S":
            case "B":
                return Arrays.equals(bytes(a), bytes(b));
            case "BOOL":
                return a.get("BOOL").asBoolean() == b.get("BOOL").asBoolean();
            case "NULL":
                return true;
            case "SS":
            case "NS":
            case "BS":
                return setKeys(a).equals(setKeys(b));
            case "L": {
                JsonNode la = a.get("L");
                JsonNode lb = b.get("L");
                if (la.size() != lb.size()) {
                    return false;
                }
                for (int i = 0; i < la.size(); i++) {
                    if (!equal(la.get(i), lb.get(i))) {
                        return false;
                    }
                }
                return true;
            }
            case "M": {
                JsonNode ma = a.get("M");
                JsonNode mb = b.get("M");
                if (ma.size() != mb.size()) {
                    return false;
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = ma.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!equal(e.getValue(), mb.get(e.getKey()))) {
                        return false;
                    }
                }
                return true;
            }
            default:
                return false;
        }
    }

    /** The elements of a set value in a comparable canonical form (numbers normalized, bytes as hex). */
    public static Set<String> setKeys(JsonNode set) {
        String t = type(set);
        Set<String> out = new HashSet<>();
        for (JsonNode e : set.get(t)) {
            out.add(elementKey(t, e));
        }
        return out;
    }

    static String elementKey(String setType, JsonNode element) {
        switch (setType) {
            case "NS":
                return new BigDecimal(element.asText()).stripTrailingZeros().toPlainString();
            case "BS":
                try {
                    return java.util.HexFormat.of().formatHex(element.binaryValue());
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            default:
                return element.asText();
        }
    }

    /**
     * Checks a value as DynamoDB does before writing it: exactly one type, numbers that parse
     * (at most 38 digits of precision), no empty or duplicate sets, nested values too.
     *
     * @throws dev.tributary.emulator.protocol.AwsException ValidationException
     */
    public static void validate(JsonNode value) {
        String t = type(value);
        if (t == null) {
            throw DynamoDbError.validation(
                    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        }
        JsonNode v = value.get(t);
        switch (t) {
            case "N" -> checkNumber(v.asText());
            case "NULL" -> {
                if (!v.asBoolean()) {
                    throw DynamoDbError.validation("One or more parameter values were invalid: Null attribute value types must have the value of true");
                }
            }
            case "SS", "NS", "BS" -> {
                if (v.size() == 0) {
                    throw DynamoDbError.validation(
                            "One or more parameter values were invalid: An number set  may not be empty".replace("number",
                                    t.equals("SS") ? "string" : t.equals("NS") ? "number" : "binary"));
                }
                Set<String> seen = new HashSet<>();
                for (JsonNode e : v) {
                    if (t.equals("NS")) {
                        checkNumber(e.asText());
                    }
                    if (!seen.add(elementKey(t, e))) {
                        throw DynamoDbError.validation("One or more parameter values were invalid: Input collection "
                                + e.asText() + " contains duplicates.");
                    }
                }
            }
            case "L" -> v.forEach(Values::validate);
            case "M" -> v.forEach(Values::validate);
            default -> {
            }
        }
    }

    private static void checkNumber(String text) {
        BigDecimal d;
        try {
            d = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw DynamoDbError.validation("A value provided cannot be converted into a number");
        }
        if (d.stripTrailingZeros().precision() > 38) {
            throw DynamoDbError.validation("Attempting to store more than 38 significant digits in a Number");
        }
    }

    /** The size DynamoDB counts for an item: names plus values, in bytes (approximately, for nested values). */
    public static long itemSize(ObjectNode item) {
        long size = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            size += e.getKey().getBytes(StandardCharsets.UTF_8).length + valueSize(e.getValue());
        }
        return size;
    }

    static long valueSize(JsonNode value) {
        String t = type(value);
        if (t == null) {
            return 0;
        }
        JsonNode v = value.get(t);
        switch (t) {
            case "S":
            case "B":
                return bytes(value).length;
            case "N":
                return (v.asText().length() + 1) / 2 + 1;
            case "BOOL":
            case "NULL":
                return 1;
            case "SS":
            case "NS":
            case "BS": {
                long s = 0;
                for (JsonNode e : v) {
                    s += t.equals("BS") ? elementKey(t, e).length() / 2 : e.asText().getBytes(StandardCharsets.UTF_8).length;
                }
                return s;
            }
            case "L": {
                long s = 3;
                for (JsonNode e : v) {
                    s += 1 + valueSize(e);
                }
                return s;
            }
            case "M": {
                long s = 3;
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    s += 1 + e.getKey().length() + valueSize(e.getValue());
                }
                return s;
            }
            default:
                return 0;
        }
    }

    /** The canonical key of one element of a set of {@code setType}, for set arithmetic. */
    public static String setKeysOf(String setType, JsonNode element) {
        return elementKey(setType, element);
    }

    /** The canonical keys of a set value's elements. */
    public static Set<String> setKeysOf(JsonNode set) {
        return setKeys(set);
    }

    /** A new set value of {@code type} holding the given elements (already in their wire form). */
    public static ObjectNode setOf(String type, Iterable<JsonNode> elements) {
        return set(type, elements);
    }

    /** A new set value of {@code type} holding the given elements (already in their wire form). */
    public static ObjectNode set(String type, Iterable<JsonNode> elements) {
        ObjectNode n = NODES.objectNode();
        ArrayNode a = n.putArray(type);
        elements.forEach(a::add);
        return n;
    }

    /**
     * Turns the base64 text of B and BS values (as a JSON file holds them) back into binary
     * nodes, in an item ({@code isItem}: a map of name to value) or in one value.
     */
    static JsonNode restoreBinary(JsonNode node, boolean isItem) {
        if (isItem) {
            ObjectNode out = NODES.objectNode();
            node.fields().forEachRemaining(e -> out.set(e.getKey(), restoreBinary(e.getValue(), false)));
            return out;
        }
        String t = type(node);
        if (t == null) {
            return node;
        }
        ObjectNode out = NODES.objectNode();
        JsonNode v = node.get(t);
        switch (t) {
            case "B" -> out.put("B", java.util.Base64.getDecoder().decode(v.asText()));
            case "BS" -> {
                ArrayNode a = out.putArray("BS");
                v.forEach(e -> a.add(java.util.Base64.getDecoder().decode(e.asText())));
            }
            case "L" -> {
                ArrayNode a = out.putArray("L");
                v.forEach(e -> a.add(restoreBinary(e, false)));
            }
            case "M" -> out.set("M", restoreBinary(v, true));
            default -> out.set(t, v);
        }
        return out;
    }
}
