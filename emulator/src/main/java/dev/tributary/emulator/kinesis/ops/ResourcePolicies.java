package dev.tributary.emulator.kinesis.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.emulator.kinesis.KinesisBackend;

/** Where resource policies live (an attribute per stream or consumer) and how they are checked. */
final class ResourcePolicies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResourcePolicies() {
    }

    static String attribute(String consumer) {
        return consumer == null ? "kinesis.policy" : "kinesis.policy.consumer:" + consumer;
    }

    /** A policy must be a JSON object; its statements are kept, not enforced. */
    static void check(String policy) {
        try {
            JsonNode n = JSON.readTree(policy);
            if (n == null || !n.isObject()) {
                throw KinesisBackend.invalidArgument("Policy document is not a valid JSON object.");
            }
        } catch (JsonProcessingException e) {
            throw KinesisBackend.invalidArgument("Policy document is not valid JSON.");
        }
    }
}
