package dev.tributary.emulator.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a decoded request against the constraints of its model shape (required, min/max length
 * and value, pattern, enum) and reports every violation at once in AWS's words:
 * {@code 2 validation errors detected: Value 'x' at 'streamName' failed to satisfy constraint:
 * Member must ...; Value ...}. Paths use lower-camel member names, list elements
 * {@code records.1.member.partitionKey} (1-based), map values {@code tags.key.member}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ModelValidator {
    static final int MAX_REPORTED = 10;

    private final String javaPackage;
    private final ValidationOrder order;

    /** @param javaPackage the package AWS's Java model classes live in, used to render lists of structures */
    public ModelValidator(String javaPackage) {
        this(javaPackage, ValidationOrder.MODEL);
    }

    public ModelValidator(String javaPackage, ValidationOrder order) {
        this.javaPackage = javaPackage;
        this.order = order;
    }

    /**
     * @throws AwsException ValidationException listing every violation, in model member order
     */
    public void validate(Shape shape, JsonNode value) {
        List<String> violations = new ArrayList<>();
        check(shape, value, Path.ROOT, violations);
        if (!violations.isEmpty()) {
            throw new AwsException(CommonError.VALIDATION, message(violations));
        }
    }

    /** The full message for a list of single violation texts. */
    public static String message(List<String> violations) {
        // AWS reports at most ten violations, and counts only those it reports.
        if (violations.size() > MAX_REPORTED) {
            violations = violations.subList(0, MAX_REPORTED);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(violations.size()).append(violations.size() == 1 ? " validation error detected: "
                : " validation errors detected: ");
        sb.append(String.join("; ", violations));
        return sb.toString();
    }

    /** One violation, e.g. {@code Value 'x' at 'streamName' failed to satisfy constraint: Member must ...}. */
    public static String violation(String renderedValue, String path, String constraint) {
        return "Value " + renderedValue + " at '" + path + "' failed to satisfy constraint: " + constraint;
    }

    /**
     * A member path, rendered only when a violation needs it: validating a valid request builds no
     * strings. {@code records.1.member.partitionKey} is ("records") -> index 1 -> ("partitionKey").
     */
    private record Path(Path parent, String member, int index, String suffix) {
        static final Path ROOT = new Path(null, null, 0, null);

        Path member(String name) {
            return new Path(this, name, 0, null);
        }

        Path element(int oneBased) {
            return new Path(this, null, oneBased, null);
        }

        Path suffix(String s) {
            return new Path(this, null, 0, s);
        }

        @Override
        public String toString() {
            if (parent == null) {
                return "";
            }
            String before = parent.toString();
            if (member != null) {
                String name = lowerCamel(member);
                return before.isEmpty() ? name : before + "." + name;
            }
            if (suffix != null) {
                return before + "." + suffix;
            }
            return before + "." + index + ".member";
        }
    }

    private void check(Shape shape, JsonNode value, Path path, List<String> out) {
        switch (shape.type()) {
            case STRUCTURE -> {
                for (Shape.Member m : order.members(shape)) {
                    JsonNode v = value.get(m.name());
                    Path p = path.member(m.name());
                    if (v == null || v.isNull()) {
                        if (m.required()) {
                            out.add(violation("null", p.toString(), "Member must not be null"));
                        }
                        continue;
                    }
                    check(m.shape(), v, p, out);
                }
            }
            case LIST -> {
                length(shape, value.size(), () -> render(shape, value), path, out);
                int i = 1;
                for (JsonNode element : value) {
                    Path p = path.element(i);
                    if (element.isNull()) {
                        out.add(violation("null", p.toString(), "Member must not be null"));
                    } else {
                        check(shape.listMember(), element, p, out);
                    }
                    i++;
                }
            }
            case MAP -> {
                length(shape, value.size(), () -> render(shape, value), path, out);
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    check(shape.mapKey(), com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey()),
                            path.suffix("key"), out);
                    if (e.getValue().isNull()) {
                        out.add(violation("null", path.suffix("value").toString(), "Member must not be null"));
                    } else {
                        check(shape.mapValue(), e.getValue(), path.suffix("value"), out);
                    }
                }
            }
            case STRING -> {
                // AWS's order within one member: pattern, then length (or enum).
                String s = value.asText();
                java.util.function.Supplier<String> quoted = () -> "'" + s + "'";
                if (shape.patternSource() != null && !shape.matchesPattern(s)) {
                    out.add(violation(quoted.get(), path.toString(), "Member must satisfy regular expression pattern: "
                            + awsPattern(shape.patternSource())));
                }
                length(shape, shape.min() == null && shape.max() == null ? 0 : s.codePointCount(0, s.length()),
                        quoted, path, out);
                if (!shape.isEnumValue(s)) {
                    out.add(violation(quoted.get(), path.toString(), "Member must satisfy enum value set: ["
                            + String.join(", ", order.enumValues(shape)) + "]"));
                }
            }
            case INTEGER, LONG, DOUBLE, FLOAT -> {
                BigDecimal v = value.decimalValue();
                if (shape.min() != null && v.compareTo(shape.min()) < 0) {
                    out.add(violation("'" + value.asText() + "'", path.toString(), "Member must have value greater than or equal to "
                            + shape.min().toPlainString()));
                }
                if (shape.max() != null && v.compareTo(shape.max()) > 0) {
                    out.add(violation("'" + value.asText() + "'", path.toString(), "Member must have value less than or equal to "
                            + shape.max().toPlainString()));
                }
            }
            case BLOB -> {
                int n = binaryLength(value);
                length(shape, n, () -> "'java.nio.HeapByteBuffer[pos=0 lim=" + n + " cap=" + n + "]'", path, out);
            }
            default -> {
            }
        }
    }

    /**
     * The pattern as AWS prints it: botocore anchors some patterns as {@code ^(...)$}, AWS's own
     * model (and so its messages) has the bare {@code ...}.
     */
    static String awsPattern(String pattern) {
        if (pattern.startsWith("^(") && pattern.endsWith(")$")) {
            return pattern.substring(2, pattern.length() - 2);
        }
        return pattern;
    }

    private static int binaryLength(JsonNode value) {
        try {
            return value.binaryValue().length;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static void length(Shape shape, int length, java.util.function.Supplier<String> rendered, Path path,
                               List<String> out) {
        if (shape.min() != null && BigDecimal.valueOf(length).compareTo(shape.min()) < 0) {
            out.add(violation(rendered.get(), path.toString(), "Member must have length greater than or equal to "
                    + shape.min().toPlainString()));
        }
        if (shape.max() != null && BigDecimal.valueOf(length).compareTo(shape.max()) > 0) {
            out.add(violation(rendered.get(), path.toString(), "Member must have length less than or equal to "
                    + shape.max().toPlainString()));
        }
    }

    /** Renders a list or map as AWS does: Java's toString of the deserialized value. */
    private String render(Shape shape, JsonNode value) {
        StringBuilder sb = new StringBuilder("'");
        if (shape.type() == Shape.Type.LIST) {
            sb.append('[');
            boolean first = true;
            for (JsonNode v : value) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                if (v.isObject()) {
                    sb.append(javaPackage).append('.').append(shape.listMember().name()).append("@2");
                } else {
                    sb.append(v.isNull() ? "null" : v.asText());
                }
            }
            sb.append(']');
        } else {
            sb.append('{');
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(e.getKey()).append('=').append(e.getValue().isNull() ? "null" : e.getValue().asText());
            }
            sb.append('}');
        }
        return sb.append("'").toString();
    }


    static String lowerCamel(String name) {
        if (name.isEmpty()) {
            return name;
        }
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
