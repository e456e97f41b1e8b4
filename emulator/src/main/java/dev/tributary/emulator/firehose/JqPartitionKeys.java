package dev.tributary.emulator.firehose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * A {@code MetadataExtraction} processor's {@code MetadataExtractionQuery}, a JQ 1.6 expression
 * such as {@code {customer_id:.customer_id}}, evaluated per record with jackson-jq: the engine's
 * partition-key function (the firehose module itself stays JSON-free).
 *
 * <p>A record's keys are the members of the one object the query yields; strings are taken as
 * they are, numbers and booleans as their JSON text ({@code 1} gives {@code "1"}); null, objects
 * and arrays give no key. A record that is not JSON, or a query that fails or does not yield one
 * object, throws IllegalArgumentException (the engine sends the record to the error prefix).
 * jackson-jq's built-in functions are there, plus the date functions it lacks ({@code strftime},
 * {@code gmtime}, {@code mktime}, {@code todate}, {@code fromdate}: {@link JqTimeFunctions}).
 *
 * <p>Thread-safe: the compiled query and the root scope are shared; each evaluation gets a
 * child scope.
 */
public final class JqPartitionKeys implements Function<byte[], Map<String, String>> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Scope ROOT;

    static {
        ROOT = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, ROOT);
        JqTimeFunctions.register(ROOT);
    }

    private final String expression;
    private final JsonQuery query;

    /**
     * Compiles {@code expression}.
     *
     * @throws IllegalArgumentException when it is not a JQ 1.6 expression
     */
    public JqPartitionKeys(String expression) {
        this.expression = expression;
        try {
            this.query = JsonQuery.compile(expression, Versions.JQ_1_6);
        } catch (JsonQueryException e) {
            throw new IllegalArgumentException("MetadataExtractionQuery " + expression + " is not a valid JQ-1.6"
                    + " expression: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, String> apply(byte[] record) {
        JsonNode in;
        try {
            in = JSON.readTree(record);
        } catch (IOException e) {
            throw new IllegalArgumentException("The record is not valid JSON.");
        }
        if (in == null || in.isMissingNode()) {
            throw new IllegalArgumentException("The record is not valid JSON.");
        }
        List<JsonNode> out = new ArrayList<>();
        try {
            query.apply(Scope.newChildScope(ROOT), in, out::add);
        } catch (JsonQueryException e) {
            throw new IllegalArgumentException("The query " + expression + " failed: " + e.getMessage());
        }
        if (out.size() != 1 || !out.get(0).isObject()) {
            throw new IllegalArgumentException("The query " + expression + " must yield one JSON object, not "
                    + render(out));
        }
        Map<String, String> keys = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = out.get(0).fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isTextual()) {
                keys.put(e.getKey(), v.textValue());
            } else if (v.isNumber() || v.isBoolean()) {
                keys.put(e.getKey(), v.toString());
            }
        }
        return keys;
    }

    private static String render(List<JsonNode> out) {
        try {
            return JSON.writeValueAsString(out.size() == 1 ? out.get(0) : out);
        } catch (JsonProcessingException e) {
            return out.toString();
        }
    }
}
