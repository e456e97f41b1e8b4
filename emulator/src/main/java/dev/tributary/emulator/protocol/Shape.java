package dev.tributary.emulator.protocol;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One shape of an AWS service model (botocore {@code service-2.json}), with the constraints AWS
 * validates: required members, min/max length or value, pattern, enum.
 *
 * <p>Immutable once the model has finished linking; shared by all request threads.
 */
public final class Shape {

    /** The shape types of the AWS JSON protocols. */
    public enum Type {
        STRUCTURE, LIST, MAP, STRING, INTEGER, LONG, DOUBLE, FLOAT, BOOLEAN, TIMESTAMP, BLOB;

        static Type of(String botocore) {
            return switch (botocore) {
                case "structure" -> STRUCTURE;
                case "list" -> LIST;
                case "map" -> MAP;
                case "string" -> STRING;
                case "integer" -> INTEGER;
                case "long" -> LONG;
                case "double" -> DOUBLE;
                case "float" -> FLOAT;
                case "boolean" -> BOOLEAN;
                case "timestamp" -> TIMESTAMP;
                case "blob" -> BLOB;
                default -> throw new IllegalArgumentException("unknown shape type " + botocore);
            };
        }
    }

    /** A member of a structure: its wire name, its shape, and whether it is required. */
    public record Member(String name, Shape shape, boolean required) {
    }

    private final String name;
    private final Type type;
    private final BigDecimal min;
    private final BigDecimal max;
    private final Pattern pattern;
    private final String patternSource;
    private final List<String> enumValues;
    private final Set<String> enumSet;
    private final boolean eventStream;
    final Map<String, Member> members = new LinkedHashMap<>();
    Shape listMember;
    Shape mapKey;
    Shape mapValue;

    Shape(String name, Type type, BigDecimal min, BigDecimal max, String pattern, List<String> enumValues,
          boolean eventStream) {
        this.name = name;
        this.type = type;
        this.min = min;
        this.max = max;
        this.patternSource = pattern;
        this.pattern = pattern == null ? null : Pattern.compile(pattern);
        this.enumValues = enumValues == null ? List.of() : List.copyOf(enumValues);
        this.enumSet = Set.copyOf(this.enumValues);
        this.eventStream = eventStream;
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    public BigDecimal min() {
        return min;
    }

    public BigDecimal max() {
        return max;
    }

    /** The pattern as written in the model (AWS quotes it in messages). */
    public String patternSource() {
        return patternSource;
    }

    /**
     * True when the whole value matches the pattern. AWS patterns are unanchored, and AWS requires
     * the entire value to match; a {@code ^...$} pattern matches the same either way.
     */
    public boolean matchesPattern(String value) {
        return pattern == null || pattern.matcher(value).matches();
    }

    public List<String> enumValues() {
        return enumValues;
    }

    public boolean isEnumValue(String value) {
        return enumSet.isEmpty() || enumSet.contains(value);
    }

    public boolean isEventStream() {
        return eventStream;
    }

    /** Structure members in model order. */
    public Map<String, Member> members() {
        return members;
    }

    public Shape listMember() {
        return listMember;
    }

    public Shape mapKey() {
        return mapKey;
    }

    public Shape mapValue() {
        return mapValue;
    }

    @Override
    public String toString() {
        return name + "(" + type + ")";
    }
}
