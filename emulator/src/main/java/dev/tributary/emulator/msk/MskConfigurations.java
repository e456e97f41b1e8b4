package dev.tributary.emulator.msk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.protocol.Authenticator;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StreamExistsException;
import dev.tributary.store.api.StreamInfo;
import dev.tributary.store.api.StreamNotFoundException;
import dev.tributary.store.api.StreamSpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * MSK configurations (CreateConfiguration, DescribeConfiguration, DescribeConfigurationRevision,
 * ListConfigurations, ListConfigurationRevisions, UpdateConfiguration, DeleteConfiguration): named
 * {@code server.properties} texts with numbered revisions, what Terraform's
 * {@code aws_msk_configuration} manages. Each is kept in the store as the attribute
 * {@value #DESCRIPTION} (JSON, every revision with its Base64 properties) of a stream
 * {@value #STORE_PREFIX}ARN, so configurations survive a restart. The properties are recorded and
 * returned; the shared brokers do not apply them.
 *
 * <p>Thread-safe: each change is one atomic store update.
 */
final class MskConfigurations {
    static final String STORE_PREFIX = "msk-configuration/";
    static final String DESCRIPTION = "msk.configuration";

    private final ShardStore store;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    MskConfigurations(ShardStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    private static MskException notFound() {
        return new MskException(MskError.NOT_FOUND, "The requested resource doesn't exist.", "arn");
    }

    private ObjectNode read(StreamInfo info) {
        try {
            return (ObjectNode) json.readTree(info.attributes().get(DESCRIPTION));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt MSK configuration attribute", e);
        }
    }

    private String write(ObjectNode n) {
        try {
            return json.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    ObjectNode get(String arn) {
        return store.stream(STORE_PREFIX + arn).map(this::read).orElseThrow(MskConfigurations::notFound);
    }

    /** The revision's record, or {@code NotFoundException}. */
    ObjectNode revision(String arn, long revision) {
        for (JsonNode r : get(arn).get("revisions")) {
            if (r.get("revision").asLong() == revision) {
                return (ObjectNode) r;
            }
        }
        throw new MskException(MskError.NOT_FOUND, "The requested revision " + revision + " doesn't exist.", "revision");
    }

    private static String properties(JsonNode blob) {
        if (blob == null || blob.isNull() || blob.asText().isEmpty()) {
            throw new MskException(MskError.BAD_REQUEST, "The request is missing the required parameter serverProperties.",
                    "serverProperties");
        }
        String text;
        try {
            text = new String(Base64.getDecoder().decode(blob.asText()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MskException(MskError.BAD_REQUEST, "serverProperties must be Base64.", "serverProperties");
        }
        for (String line : text.split("\\R")) {
            String l = line.trim();
            if (!l.isEmpty() && !l.startsWith("#") && l.indexOf('=') <= 0) {
                throw new MskException(MskError.BAD_REQUEST, "serverProperties has a line that is not key=value: " + l,
                        "serverProperties");
            }
        }
        return blob.asText();
    }

    private ObjectNode revisionSummary(JsonNode r) {
        ObjectNode out = json.createObjectNode();
        out.set("creationTime", r.get("creationTime"));
        if (r.has("description")) {
            out.set("description", r.get("description"));
        }
        out.set("revision", r.get("revision"));
        return out;
    }

    /** The {@code Configuration} shape: everything but the revisions' properties. */
    private ObjectNode summary(ObjectNode c) {
        ObjectNode out = json.createObjectNode();
        for (String k : List.of("arn", "creationTime", "description", "kafkaVersions", "name", "state")) {
            out.set(k, c.get(k));
        }
        ArrayNode revisions = (ArrayNode) c.get("revisions");
        out.set("latestRevision", revisionSummary(revisions.get(revisions.size() - 1)));
        return out;
    }

    JsonNode create(Authenticator.Principal who, ObjectNode in) {
        String name = in.path("name").asText(null);
        if (name == null || name.isEmpty()) {
            throw new MskException(MskError.BAD_REQUEST, "The request is missing the required parameter name.", "name");
        }
        String props = properties(in.get("serverProperties"));
        String prefix = STORE_PREFIX + "arn:aws:kafka:" + who.region() + ":" + who.account() + ":configuration/" + name + "/";
        if (store.streams().stream().anyMatch(s -> s.name().startsWith(prefix))) {
            throw new MskException(MskError.CONFLICT, "A configuration with the name " + name + " already exists.", "name");
        }
        String arn = prefix.substring(STORE_PREFIX.length()) + UUID.randomUUID() + "-1";
        String now = Instant.ofEpochMilli(clock.millis()).toString();
        ObjectNode c = json.createObjectNode();
        c.put("arn", arn);
        c.put("creationTime", now);
        c.put("description", in.path("description").asText(""));
        c.set("kafkaVersions", in.has("kafkaVersions") ? in.get("kafkaVersions") : json.createArrayNode());
        c.put("name", name);
        c.put("state", "ACTIVE");
        ObjectNode r = c.putArray("revisions").addObject();
        r.put("creationTime", now);
        r.put("description", in.path("description").asText(""));
        r.put("revision", 1);
        r.put("serverProperties", props);
        try {
            store.createStream(new StreamSpec(STORE_PREFIX + arn, 1, Duration.ofDays(1), Map.of(DESCRIPTION, write(c))));
        } catch (StreamExistsException e) {
            throw new MskException(MskError.CONFLICT, "A configuration with the name " + name + " already exists.", "name");
        }
        ObjectNode out = json.createObjectNode();
        out.put("arn", arn);
        out.put("creationTime", now);
        out.set("latestRevision", revisionSummary(r));
        out.put("name", name);
        out.put("state", "ACTIVE");
        return out;
    }

    JsonNode describe(String arn) {
        return summary(get(arn));
    }

    JsonNode describeRevision(String arn, String revision) {
        long number;
        try {
            number = Long.parseLong(revision);
        } catch (NumberFormatException e) {
            throw new MskException(MskError.BAD_REQUEST, "revision must be a number.", "revision");
        }
        ObjectNode r = revision(arn, number);
        ObjectNode out = json.createObjectNode();
        out.put("arn", arn);
        out.set("creationTime", r.get("creationTime"));
        out.set("description", r.get("description"));
        out.set("revision", r.get("revision"));
        out.set("serverProperties", r.get("serverProperties"));
        return out;
    }

    JsonNode list(Authenticator.Principal who) {
        String prefix = STORE_PREFIX + "arn:aws:kafka:" + who.region() + ":" + who.account() + ":configuration/";
        List<ObjectNode> all = new ArrayList<>();
        for (StreamInfo s : store.streams()) {
            if (s.name().startsWith(prefix)) {
                all.add(summary(read(s)));
            }
        }
        all.sort((a, b) -> a.get("name").asText().compareTo(b.get("name").asText()));
        ObjectNode out = json.createObjectNode();
        out.putArray("configurations").addAll(all);
        return out;
    }

    JsonNode listRevisions(String arn) {
        ObjectNode out = json.createObjectNode();
        ArrayNode list = out.putArray("revisions");
        get(arn).get("revisions").forEach(r -> list.add(revisionSummary(r)));
        return out;
    }

    JsonNode update(String arn, ObjectNode in) {
        String props = properties(in.get("serverProperties"));
        ObjectNode[] latest = new ObjectNode[1];
        try {
            store.updateStream(STORE_PREFIX + arn, attrs -> {
                ObjectNode c;
                try {
                    c = (ObjectNode) json.readTree(attrs.get(DESCRIPTION));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
                ArrayNode revisions = (ArrayNode) c.get("revisions");
                ObjectNode r = revisions.addObject();
                r.put("creationTime", Instant.ofEpochMilli(clock.millis()).toString());
                r.put("description", in.path("description").asText(c.path("description").asText("")));
                r.put("revision", revisions.size());
                r.put("serverProperties", props);
                latest[0] = r;
                Map<String, String> next = new HashMap<>(attrs);
                next.put(DESCRIPTION, write(c));
                return next;
            }, null);
        } catch (StreamNotFoundException e) {
            throw notFound();
        }
        ObjectNode out = json.createObjectNode();
        out.put("arn", arn);
        out.set("latestRevision", revisionSummary(latest[0]));
        return out;
    }

    JsonNode delete(String arn, List<ObjectNode> clustersUsing) {
        get(arn);
        if (!clustersUsing.isEmpty()) {
            throw new MskException(MskError.BAD_REQUEST, "The configuration is in use by the cluster "
                    + clustersUsing.get(0).get("clusterArn").asText() + ".", "arn");
        }
        try {
            store.deleteStream(STORE_PREFIX + arn);
        } catch (StreamNotFoundException e) {
            throw notFound();
        }
        ObjectNode out = json.createObjectNode();
        out.put("arn", arn);
        out.put("state", "DELETING");
        return out;
    }
}
