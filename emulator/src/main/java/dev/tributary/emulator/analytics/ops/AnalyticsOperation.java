package dev.tributary.emulator.analytics.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.analytics.AnalyticsBackend;
import dev.tributary.emulator.protocol.NamedOperation;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Base of the Kinesis Analytics operations. Requests arrive validated against the model; their
 * nested configuration shapes are deep and mostly stored as they come, so operations read the
 * request tree directly and answer with a tree (or null for an empty body).
 */
abstract class AnalyticsOperation extends NamedOperation<ObjectNode, ObjectNode> {
    protected final AnalyticsBackend analytics;

    AnalyticsOperation(AnalyticsBackend analytics) {
        super(ObjectNode.class);
        this.analytics = analytics;
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static String text(JsonNode in, String field) {
        JsonNode v = in.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static long version(JsonNode in) {
        return in.path("CurrentApplicationVersionId").asLong();
    }

    @Override
    public abstract ObjectNode execute(RequestContext ctx, ObjectNode in);
}
