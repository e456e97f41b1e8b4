package dev.tributary.emulator.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An AWS service model loaded from a botocore {@code service-2.json} resource: operations with
 * their input and output shapes, and every shape with its constraints. Validation and decoding
 * are derived from it rather than written by hand per operation.
 *
 * <p>Immutable after loading; thread-safe.
 */
public final class ServiceModel {

    /** An operation of the model: its name and input/output shapes (null when it has none). */
    public record Operation(String name, Shape input, Shape output, List<String> errors) {
    }

    private final String targetPrefix;
    private final String protocol;
    private final String javaPackage;
    private final Map<String, Shape> shapes;
    private final Map<String, Operation> operations;

    private ServiceModel(String targetPrefix, String protocol, String javaPackage, Map<String, Shape> shapes,
                         Map<String, Operation> operations) {
        this.targetPrefix = targetPrefix;
        this.protocol = protocol;
        this.javaPackage = javaPackage;
        this.shapes = shapes;
        this.operations = operations;
    }

    /** Loads a model from the class path, e.g. {@code /aws-models/kinesis-2013-12-02.service-2.json}. */
    public static ServiceModel load(String resource) {
        return load(resource, root -> { });
    }

    /** Loads a model after {@code patch} has changed its JSON (a service's deliberate deviations). */
    public static ServiceModel load(String resource, java.util.function.Consumer<JsonNode> patch) {
        try (InputStream in = ServiceModel.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no model resource " + resource);
            }
            JsonNode root = new ObjectMapper().readTree(in);
            patch.accept(root);
            return parse(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + resource, e);
        }
    }

    static ServiceModel parse(JsonNode root) {
        JsonNode shapesNode = root.path("shapes");
        Map<String, Shape> shapes = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = shapesNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode s = e.getValue();
            List<String> enums = null;
            if (s.has("enum")) {
                enums = new ArrayList<>();
                for (JsonNode v : s.get("enum")) {
                    enums.add(v.asText());
                }
            }
            shapes.put(e.getKey(), new Shape(e.getKey(), Shape.Type.of(s.path("type").asText()),
                    decimal(s, "min"), decimal(s, "max"),
                    s.has("pattern") ? s.get("pattern").asText() : null, enums,
                    s.path("eventstream").asBoolean(false)));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = shapesNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Shape shape = shapes.get(e.getKey());
            JsonNode s = e.getValue();
            switch (shape.type()) {
                case STRUCTURE -> {
                    Set<String> required = new HashSet<>();
                    s.path("required").forEach(r -> required.add(r.asText()));
                    for (Iterator<Map.Entry<String, JsonNode>> m = s.path("members").fields(); m.hasNext(); ) {
                        Map.Entry<String, JsonNode> member = m.next();
                        String wireName = member.getValue().has("locationName")
                                ? member.getValue().get("locationName").asText() : member.getKey();
                        shape.members.put(wireName, new Shape.Member(wireName,
                                ref(shapes, member.getValue()), required.contains(member.getKey())));
                    }
                }
                case LIST -> shape.listMember = ref(shapes, s.get("member"));
                case MAP -> {
                    shape.mapKey = ref(shapes, s.get("key"));
                    shape.mapValue = ref(shapes, s.get("value"));
                }
                default -> {
                }
            }
        }
        Map<String, Operation> operations = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("operations").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode op = e.getValue();
            List<String> errors = new ArrayList<>();
            op.path("errors").forEach(err -> errors.add(err.path("shape").asText()));
            operations.put(e.getKey(), new Operation(e.getKey(),
                    op.has("input") ? ref(shapes, op.get("input")) : null,
                    op.has("output") ? ref(shapes, op.get("output")) : null, List.copyOf(errors)));
        }
        JsonNode meta = root.path("metadata");
        String javaPackage = "com.amazonaws." + meta.path("endpointPrefix").asText() + ".v"
                + meta.path("apiVersion").asText().replace("-", "");
        return new ServiceModel(meta.path("targetPrefix").asText(null), meta.path("protocol").asText(),
                javaPackage, Map.copyOf(shapes), Map.copyOf(operations));
    }

    private static Shape ref(Map<String, Shape> shapes, JsonNode ref) {
        String name = ref.path("shape").asText();
        Shape shape = shapes.get(name);
        if (shape == null) {
            throw new IllegalArgumentException("model refers to unknown shape " + name);
        }
        return shape;
    }

    private static BigDecimal decimal(JsonNode s, String field) {
        return s.has(field) ? s.get(field).decimalValue() : null;
    }

    /** The {@code X-Amz-Target} prefix, e.g. {@code Kinesis_20131202}; null for REST services. */
    public String targetPrefix() {
        return targetPrefix;
    }

    /** The package of AWS's own Java model classes, e.g. {@code com.amazonaws.kinesis.v20131202}. */
    public String javaPackage() {
        return javaPackage;
    }

    public String protocol() {
        return protocol;
    }

    public Operation operation(String name) {
        return operations.get(name);
    }

    public Map<String, Operation> operations() {
        return operations;
    }

    public Shape shape(String name) {
        return shapes.get(name);
    }
}
