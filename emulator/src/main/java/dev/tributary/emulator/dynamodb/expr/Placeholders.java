package dev.tributary.emulator.dynamodb.expr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.emulator.dynamodb.DynamoDbError;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request's {@code ExpressionAttributeNames} and {@code ExpressionAttributeValues}, shared by
 * every expression of the request, remembering which were used: DynamoDB refuses a request that
 * defines one its expressions do not use.
 *
 * <p>Not thread-safe: one per request.
 */
public final class Placeholders {
    private final JsonNode names;
    private final JsonNode values;
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedValues = new HashSet<>();

    /** Either may be null (absent from the request). */
    public Placeholders(JsonNode names, JsonNode values) {
        this.names = names;
        this.values = values;
    }

    String name(String placeholder, String kind) {
        JsonNode n = names == null ? null : names.get(placeholder);
        if (n == null) {
            throw DynamoDbError.validation("Invalid " + kind
                    + ": An expression attribute name used in the document path is not defined; attribute name: "
                    + placeholder);
        }
        usedNames.add(placeholder);
        return n.asText();
    }

    JsonNode value(String placeholder, String kind) {
        JsonNode v = values == null ? null : values.get(placeholder);
        if (v == null) {
            throw DynamoDbError.validation("Invalid " + kind
                    + ": An expression attribute value used in expression is not defined; attribute value: " + placeholder);
        }
        usedValues.add(placeholder);
        return v;
    }

    /**
     * Fails as DynamoDB does when names or values were given that no expression used; call after
     * parsing every expression of the request.
     */
    public void checkAllUsed() {
        Set<String> unusedNames = unused(names, usedNames);
        if (!unusedNames.isEmpty()) {
            throw DynamoDbError.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {"
                    + String.join(", ", unusedNames) + "}");
        }
        Set<String> unusedValues = unused(values, usedValues);
        if (!unusedValues.isEmpty()) {
            throw DynamoDbError.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                    + String.join(", ", unusedValues) + "}");
        }
    }

    private static Set<String> unused(JsonNode defined, Set<String> used) {
        Set<String> out = new TreeSet<>();
        if (defined != null) {
            for (Iterator<String> it = defined.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!used.contains(k)) {
                    out.add(k);
                }
            }
        }
        return out;
    }
}
