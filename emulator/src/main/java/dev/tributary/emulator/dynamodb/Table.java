package dev.tributary.emulator.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One DynamoDB table: its definition (key schema, attribute definitions, billing, secondary
 * indexes, tags, point-in-time recovery and TTL settings) and its items, kept sorted by primary
 * key so that scans and pages are stable and queries read a range.
 *
 * <p>Not thread-safe: {@link DynamoDbBackend} holds its lock around every use.
 */
final class Table {
    /** A key schema: partition key name, and sort key name or null. */
    record KeySchema(String hash, String range) {
        List<String> names() {
            return range == null ? List.of(hash) : List.of(hash, range);
        }

        ArrayNode toJson() {
            ArrayNode a = Values.NODES.arrayNode();
            a.addObject().put("AttributeName", hash).put("KeyType", "HASH");
            if (range != null) {
                a.addObject().put("AttributeName", range).put("KeyType", "RANGE");
            }
            return a;
        }
    }

    /** A global (or local) secondary index: its key and projection, as CreateTable described it. */
    record Index(String name, KeySchema key, ObjectNode projection, ObjectNode provisioned, boolean local) {
    }

    /** Orders values of one key attribute; null (absent) first. */
    static final Comparator<JsonNode> VALUE_ORDER = (a, b) -> {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return Values.compare(a, b);
    };

    /** Orders key tuples element by element. */
    static final Comparator<List<JsonNode>> TUPLE_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = VALUE_ORDER.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    final String account;
    final String region;
    final String name;
    final String arn;
    final String id;
    final Instant created;
    final KeySchema key;
    /** Attribute name to type letter, from AttributeDefinitions. */
    final Map<String, String> attributeTypes = new LinkedHashMap<>();
    String billingMode;
    long readCapacity;
    long writeCapacity;
    final Map<String, Index> indexes = new LinkedHashMap<>();
    final Map<String, String> tags = new LinkedHashMap<>();
    boolean pointInTimeRecovery;
    String ttlAttribute;
    boolean deletionProtection;
    final TreeMap<List<JsonNode>, ObjectNode> items = new TreeMap<>(TUPLE_ORDER);

    Table(String account, String region, String name, String id, Instant created, KeySchema key) {
        this.account = account;
        this.region = region;
        this.name = name;
        this.arn = "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name;
        this.id = id;
        this.created = created;
        this.key = key;
    }

    /** The primary key tuple of an item (or of a Key map). */
    List<JsonNode> keyOf(JsonNode item) {
        List<JsonNode> k = new ArrayList<>(2);
        k.add(item.get(key.hash()));
        if (key.range() != null) {
            k.add(item.get(key.range()));
        }
        return k;
    }

    /** The Key map of an item: its primary key attributes only. */
    ObjectNode keyAttributes(JsonNode item) {
        ObjectNode k = Values.NODES.objectNode();
        for (String n : key.names()) {
            k.set(n, item.get(n));
        }
        return k;
    }

    /** The sort tuple of an item in an index's order: index key, then table key; null when the item is not in the index. */
    List<JsonNode> indexKeyOf(Index index, JsonNode item) {
        JsonNode h = item.get(index.key().hash());
        JsonNode r = index.key().range() == null ? null : item.get(index.key().range());
        if (h == null || index.key().range() != null && r == null) {
            return null;
        }
        List<JsonNode> k = new ArrayList<>(4);
        k.add(h);
        if (index.key().range() != null) {
            k.add(r);
        }
        k.addAll(keyOf(item));
        return k;
    }

    /** The key attributes a LastEvaluatedKey of the index carries: the index's and the table's. */
    ObjectNode indexKeyAttributes(Index index, JsonNode item) {
        ObjectNode k = keyAttributes(item);
        for (String n : index.key().names()) {
            k.set(n, item.get(n));
        }
        return k;
    }

    /** The item as an index projects it. */
    ObjectNode project(Index index, ObjectNode item) {
        String type = index.projection().path("ProjectionType").asText("ALL");
        if (type.equals("ALL")) {
            return item;
        }
        ObjectNode out = indexKeyAttributes(index, item);
        if (type.equals("INCLUDE")) {
            for (JsonNode n : index.projection().path("NonKeyAttributes")) {
                JsonNode v = item.get(n.asText());
                if (v != null) {
                    out.set(n.asText(), v);
                }
            }
        }
        return out;
    }

    long sizeBytes() {
        long s = 0;
        for (ObjectNode item : items.values()) {
            s += Values.itemSize(item);
        }
        return s;
    }

    /** The TableDescription DynamoDB answers with. */
    ObjectNode describe(String status) {
        ObjectNode d = Values.NODES.objectNode();
        ArrayNode defs = d.putArray("AttributeDefinitions");
        attributeTypes.forEach((n, t) -> defs.addObject().put("AttributeName", n).put("AttributeType", t));
        d.put("TableName", name);
        d.set("KeySchema", key.toJson());
        d.put("TableStatus", status);
        d.put("CreationDateTime", seconds(created));
        d.set("ProvisionedThroughput", throughput(readCapacity, writeCapacity));
        d.put("TableSizeBytes", sizeBytes());
        d.put("ItemCount", items.size());
        d.put("TableArn", arn);
        d.put("TableId", id);
        if ("PAY_PER_REQUEST".equals(billingMode)) {
            ObjectNode b = d.putObject("BillingModeSummary");
            b.put("BillingMode", billingMode);
            b.put("LastUpdateToPayPerRequestDateTime", seconds(created));
        }
        List<Index> global = new ArrayList<>();
        List<Index> local = new ArrayList<>();
        for (Index i : indexes.values()) {
            (i.local() ? local : global).add(i);
        }
        if (!global.isEmpty()) {
            ArrayNode g = d.putArray("GlobalSecondaryIndexes");
            global.forEach(i -> g.add(describe(i, true)));
        }
        if (!local.isEmpty()) {
            ArrayNode l = d.putArray("LocalSecondaryIndexes");
            local.forEach(i -> l.add(describe(i, false)));
        }
        d.put("DeletionProtectionEnabled", deletionProtection);
        return d;
    }

    private ObjectNode describe(Index i, boolean global) {
        ObjectNode n = Values.NODES.objectNode();
        n.put("IndexName", i.name());
        n.set("KeySchema", i.key().toJson());
        n.set("Projection", i.projection());
        if (global) {
            n.put("IndexStatus", "ACTIVE");
            n.set("ProvisionedThroughput", throughput(i.provisioned() == null ? 0 : i.provisioned().path("ReadCapacityUnits").asLong(),
                    i.provisioned() == null ? 0 : i.provisioned().path("WriteCapacityUnits").asLong()));
        }
        long count = 0;
        long size = 0;
        for (ObjectNode item : items.values()) {
            if (indexKeyOf(i, item) != null) {
                count++;
                size += Values.itemSize(project(i, item));
            }
        }
        n.put("IndexSizeBytes", size);
        n.put("ItemCount", count);
        n.put("IndexArn", arn + "/index/" + i.name());
        return n;
    }

    private static ObjectNode throughput(long read, long write) {
        ObjectNode p = Values.NODES.objectNode();
        p.put("NumberOfDecreasesToday", 0);
        p.put("ReadCapacityUnits", read);
        p.put("WriteCapacityUnits", write);
        return p;
    }

    static BigDecimal seconds(Instant t) {
        return BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3);
    }

    // ---- snapshot (the table file in the data directory)

    /** The whole table as JSON: definition and items (binary values base64, as on the wire). */
    ObjectNode snapshot() {
        ObjectNode s = Values.NODES.objectNode();
        s.put("account", account);
        s.put("region", region);
        s.put("name", name);
        s.put("id", id);
        s.put("created", created.toEpochMilli());
        s.put("hash", key.hash());
        s.put("range", key.range());
        ObjectNode types = s.putObject("attributeTypes");
        attributeTypes.forEach(types::put);
        s.put("billingMode", billingMode);
        s.put("readCapacity", readCapacity);
        s.put("writeCapacity", writeCapacity);
        ArrayNode idx = s.putArray("indexes");
        for (Index i : indexes.values()) {
            ObjectNode n = idx.addObject();
            n.put("name", i.name());
            n.put("hash", i.key().hash());
            n.put("range", i.key().range());
            n.set("projection", i.projection());
            n.set("provisioned", i.provisioned());
            n.put("local", i.local());
        }
        ObjectNode t = s.putObject("tags");
        tags.forEach(t::put);
        s.put("pointInTimeRecovery", pointInTimeRecovery);
        s.put("ttlAttribute", ttlAttribute);
        s.put("deletionProtection", deletionProtection);
        ArrayNode its = s.putArray("items");
        items.values().forEach(its::add);
        return s;
    }

    /** Rebuilds a table from {@link #snapshot()}. */
    static Table fromSnapshot(JsonNode s) {
        Table t = new Table(s.get("account").asText(), s.get("region").asText(), s.get("name").asText(),
                s.get("id").asText(), Instant.ofEpochMilli(s.get("created").asLong()),
                new KeySchema(s.get("hash").asText(), text(s.get("range"))));
        for (Iterator<Map.Entry<String, JsonNode>> it = s.get("attributeTypes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            t.attributeTypes.put(e.getKey(), e.getValue().asText());
        }
        t.billingMode = s.get("billingMode").asText();
        t.readCapacity = s.get("readCapacity").asLong();
        t.writeCapacity = s.get("writeCapacity").asLong();
        for (JsonNode n : s.get("indexes")) {
            t.indexes.put(n.get("name").asText(), new Index(n.get("name").asText(),
                    new KeySchema(n.get("hash").asText(), text(n.get("range"))), (ObjectNode) n.get("projection"),
                    n.get("provisioned").isObject() ? (ObjectNode) n.get("provisioned") : null, n.get("local").asBoolean()));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = s.get("tags").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            t.tags.put(e.getKey(), e.getValue().asText());
        }
        t.pointInTimeRecovery = s.get("pointInTimeRecovery").asBoolean();
        t.ttlAttribute = text(s.get("ttlAttribute"));
        t.deletionProtection = s.get("deletionProtection").asBoolean();
        for (JsonNode item : s.get("items")) {
            ObjectNode restored = (ObjectNode) Values.restoreBinary(item, true);
            t.items.put(t.keyOf(restored), restored);
        }
        return t;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
