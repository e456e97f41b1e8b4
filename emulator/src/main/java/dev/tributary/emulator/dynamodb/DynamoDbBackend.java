package dev.tributary.emulator.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.dynamodb.expr.Evaluator;
import dev.tributary.emulator.dynamodb.expr.Expr;
import dev.tributary.emulator.dynamodb.expr.ExpressionParser;
import dev.tributary.emulator.dynamodb.expr.Legacy;
import dev.tributary.emulator.dynamodb.expr.Placeholders;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.emulator.protocol.RequestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DynamoDB subset that KCL (and other lease, lock and checkpoint code) needs: tables with a
 * partition and optional sort key, global secondary indexes, items with every attribute type,
 * conditional writes (expressions and the legacy {@code Expected}), update expressions, Query on
 * the table and on an index, Scan with segments and pages. Requests and answers are the wire's
 * JSON trees, so every member passes through as DynamoDB spells it.
 *
 * <p>Durability: with a data directory every change rewrites that table's file
 * ({@code <data-dir>/dynamodb/<account>-<region>-<table>.json}) atomically (write to a temporary
 * file, then rename) before the request is answered, so a restart or a kill keeps every
 * acknowledged write. In memory, nothing is written.
 *
 * <p>Thread-safe: one lock serializes every request, which also makes each conditional write
 * atomic, as DynamoDB's are per item.
 */
public final class DynamoDbBackend {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbBackend.class);
    /** DynamoDB stops a Query or Scan page after 1 MB of items read. */
    private static final long PAGE_BYTES = 1024 * 1024;
    private static final long MAX_ITEM_BYTES = 400 * 1024;

    private final Object lock = new Object();
    /** Tables by account, region and name. */
    private final Map<String, Table> tables = new TreeMap<>();
    private final Path dir;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    /** {@code dataDir} null keeps everything in memory. */
    public DynamoDbBackend(Path dataDir, Clock clock) {
        this.clock = clock;
        this.dir = dataDir == null ? null : dataDir.resolve("dynamodb");
        if (dir != null) {
            load();
        }
    }

    private static String id(String account, String region, String table) {
        return account + "-" + region + "-" + table;
    }

    private void load() {
        try {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
                for (Path f : files) {
                    Table t = Table.fromSnapshot(json.readTree(f.toFile()));
                    tables.put(id(t.account, t.region, t.name), t);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the DynamoDB tables in " + dir, e);
        }
        if (!tables.isEmpty()) {
            LOG.info("DynamoDB tables loaded count={}", tables.size());
        }
    }

    private void persist(Table t) {
        if (dir == null) {
            return;
        }
        Path target = dir.resolve(id(t.account, t.region, t.name) + ".json");
        Path tmp = dir.resolve(id(t.account, t.region, t.name) + ".json.tmp");
        try {
            Files.write(tmp, json.writeValueAsBytes(t.snapshot()));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write table " + t.name, e);
        }
    }

    private void unpersist(Table t) {
        if (dir == null) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve(id(t.account, t.region, t.name) + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete table " + t.name, e);
        }
    }

    private Table table(RequestContext ctx, JsonNode req, boolean itemOperation) {
        String name = req.path("TableName").asText();
        Table t = tables.get(id(ctx.account(), ctx.region(), name));
        if (t == null) {
            throw itemOperation ? DynamoDbError.resourceNotFound() : DynamoDbError.tableNotFound(name);
        }
        return t;
    }

    // ------------------------------------------------------------------ tables

    public ObjectNode createTable(RequestContext ctx, ObjectNode req) {
        synchronized (lock) {
            String name = req.get("TableName").asText();
            if (tables.containsKey(id(ctx.account(), ctx.region(), name))) {
                throw new AwsException(DynamoDbError.RESOURCE_IN_USE, "Table already exists: " + name);
            }
            Table.KeySchema key = keySchema(req.get("KeySchema"));
            Table t = new Table(ctx.account(), ctx.region(), name, UUID.randomUUID().toString(), clock.instant(), key);
            for (JsonNode d : req.get("AttributeDefinitions")) {
                t.attributeTypes.put(d.get("AttributeName").asText(), d.get("AttributeType").asText());
            }
            billing(t, req.path("BillingMode").asText("PROVISIONED"), req.get("ProvisionedThroughput"), true);
            Set<String> used = new LinkedHashSet<>(key.names());
            for (JsonNode g : req.path("GlobalSecondaryIndexes")) {
                Table.Index i = index(t, g, false);
                t.indexes.put(i.name(), i);
                used.addAll(i.key().names());
            }
            for (JsonNode l : req.path("LocalSecondaryIndexes")) {
                Table.Index i = index(t, l, true);
                t.indexes.put(i.name(), i);
                used.addAll(i.key().names());
            }
            checkDefinitions(t, used);
            for (JsonNode tag : req.path("Tags")) {
                t.tags.put(tag.get("Key").asText(), tag.get("Value").asText());
            }
            t.deletionProtection = req.path("DeletionProtectionEnabled").asBoolean(false);
            tables.put(id(ctx.account(), ctx.region(), name), t);
            persist(t);
            LOG.info("DynamoDB table created table={} account={} region={}", name, ctx.account(), ctx.region());
            ObjectNode out = Values.NODES.objectNode();
            out.set("TableDescription", t.describe("ACTIVE"));
            return out;
        }
    }

    private static Table.KeySchema keySchema(JsonNode ks) {
        String hash = null;
        String range = null;
        for (JsonNode k : ks) {
            String type = k.get("KeyType").asText();
            if (type.equals("HASH") && hash == null) {
                hash = k.get("AttributeName").asText();
            } else if (type.equals("RANGE") && range == null && hash != null) {
                range = k.get("AttributeName").asText();
            } else {
                throw DynamoDbError.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
            }
        }
        if (hash == null) {
            throw DynamoDbError.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
        return new Table.KeySchema(hash, range);
    }

    private static void billing(Table t, String mode, JsonNode throughput, boolean creating) {
        if (mode.equals("PAY_PER_REQUEST")) {
            if (throughput != null && creating) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            }
            t.readCapacity = 0;
            t.writeCapacity = 0;
        } else {
            if (throughput == null) {
                if (creating) {
                    throw DynamoDbError.validation("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
                }
            } else {
                t.readCapacity = throughput.get("ReadCapacityUnits").asLong();
                t.writeCapacity = throughput.get("WriteCapacityUnits").asLong();
            }
        }
        t.billingMode = mode;
    }

    private static Table.Index index(Table t, JsonNode spec, boolean local) {
        String name = spec.get("IndexName").asText();
        if (t.indexes.containsKey(name)) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Duplicate index name: " + name);
        }
        Table.KeySchema key = keySchema(spec.get("KeySchema"));
        JsonNode pt = spec.get("ProvisionedThroughput");
        if ("PROVISIONED".equals(t.billingMode) && !local && pt == null) {
            throw DynamoDbError.validation("One or more parameter values were invalid: ProvisionedThroughput must be specified for index: "
                    + name);
        }
        return new Table.Index(name, key, (ObjectNode) spec.get("Projection").deepCopy(),
                pt == null ? null : (ObjectNode) pt.deepCopy(), local);
    }

    private static void checkDefinitions(Table t, Set<String> used) {
        List<String> undefined = new ArrayList<>();
        for (String n : used) {
            if (!t.attributeTypes.containsKey(n)) {
                undefined.add(n);
            }
        }
        if (!undefined.isEmpty()) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: "
                    + undefined + ", AttributeDefinitions: " + t.attributeTypes.keySet());
        }
        if (!used.containsAll(t.attributeTypes.keySet())) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
        }
    }

    public ObjectNode describeTable(RequestContext ctx, ObjectNode req) {
        synchronized (lock) {
            ObjectNode out = Values.NODES.objectNode();
            out.set("Table", table(ctx, req, false).describe("ACTIVE"));
            return out;
        }
    }

    public ObjectNode deleteTable(RequestContext ctx, ObjectNode req) {
        synchronized (lock) {
            Table t = table(ctx, req, false);
            if (t.deletionProtection) {
                throw DynamoDbError.validation("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
            }
            tables.remove(id(t.account, t.region, t.name));
            unpersist(t);
            LOG.info("DynamoDB table deleted table={}", t.name);
            ObjectNode out = Values.NODES.objectNode();
            out.set("TableDescription", t.describe("DELETING"));
            return out;
        }
    }

    public ObjectNode updateTable(RequestContext ctx, ObjectNode req) {
        synchronized (lock) {
            Table t = table(ctx, req, false);
            for (JsonNode d : req.path("AttributeDefinitions")) {
                t.attributeTypes.putIfAbsent(d.get("AttributeName").asText(), d.get("AttributeType").asText());
            }
            if (req.has("BillingMode") || req.has("ProvisionedThroughput")) {
                billing(t, req.path("BillingMode").asText(t.billingMode), req.get("ProvisionedThroughput"), false);
            }
            for (JsonNode u : req.path("GlobalSecondaryIndexUpdates")) {
                if (u.has("Create")) {
                    JsonNode c = u.get("Create");
                    if (t.indexes.containsKey(c.get("IndexName").asText())) {
                        throw DynamoDbError.validation("One or more parameter values were invalid: Attempting to create an index which already exists");
                    }
                    Table.Index i = index(t, c, false);
                    for (String n : i.key().names()) {
                        if (!t.attributeTypes.containsKey(n)) {
                            throw DynamoDbError.validation("One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: ["
                                    + n + "], AttributeDefinitions: " + t.attributeTypes.keySet());
                        }
                    }
                    t.indexes.put(i.name(), i);
                } else if (u.has("Delete")) {
                    String name = u.get("Delete").get("IndexName").asText();
                    if (t.indexes.remove(name) == null) {
                        throw new AwsException(DynamoDbError.RESOURCE_NOT_FOUND,
                                "Requested resource not found: Index: " + name + " not found");
                    }
                } else if (u.has("Update")) {
                    String name = u.get("Update").get("IndexName").asText();
                    Table.Index i = t.indexes.get(name);
                    if (i == null) {
                        throw new AwsException(DynamoDbError.RESOURCE_NOT_FOUND,
                                "Requested resource not found: Index: " + name + " not found");
                    }
                    JsonNode pt = u.get("Update").get("ProvisionedThroughput");
                    t.indexes.put(name, new Table.Index(name, i.key(), i.projection(),
                            pt == null ? i.provisioned() : (ObjectNode) pt.deepCopy(), i.local()));
                }
            }
            if (req.has("DeletionProtectionEnabled")) {
                t.deletionProtection = req.get("DeletionProtectionEnabled").asBoolean();
            }
            persist(t);
            ObjectNode out = Values.NODES.objectNode();
            out.set("TableDescription", t.describe("ACTIVE"));
            return out;
        }
    }

    public ObjectNode listTables(RequestContext ctx, ObjectNode req) {
        synchronized (lock) {
            int limit = req.path("Limit").asInt(100);
            String start = req.path("ExclusiveStartTableName").asText(null);
            String prefix = id(ctx.account(), ctx.region(), "");
            List<String> names = new ArrayList<>();
            for (Table t : tables.values()) {
                if (t.account.equals(ctx.account()) && t.region.equals(ctx.region())) {
                    names.add(t.name);
                }
            }
            names.sort(null);
            ObjectNode out = Values.NODES.objectNode();
            ArrayNode a = out.putArray("TableNames");
            int count = 0;
            String last = null;
            boolean more = false;
            for (String n : names) {
                if (start != null && n.compareTo(start) <= 0) {
                    continue;
                }
                if (count == limit) {
                    more = true;
                    break;
                }
                a.add(n);
                last = n;
                count++;
            }
            if (more) {
                out.put("LastEvaluatedTableName", last);
            }
            assert prefix != null;
            return out;
        }
    }

    // ------------------------------------------------------------------ items

    /** Checks a Key map: exactly the key attributes, of their defined types. */
    private void checkKey(Table t, JsonNode key) {
        if (key == null || key.size() != t.key.names().size()) {
            throw DynamoDbError.validation("The provided key element does not match the schema");
        }
        for (String n : t.key.names()) {
            JsonNode v = key.get(n);
            if (v == null || !t.attributeTypes.get(n).equals(Values.type(v))) {
                throw DynamoDbError.validation("The provided key element does not match the schema");
            }
            emptyKeyValue(n, v);
        }
    }

    private static void emptyKeyValue(String n, JsonNode v) {
        String type = Values.type(v);
        if ((type.equals("S") && v.get("S").asText().isEmpty()) || (type.equals("B") && Values.bytes(v).length == 0)) {
            throw DynamoDbError.validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty "
                    + (type.equals("S") ? "string" : "binary") + " value. Key: " + n);
        }
    }

    /** Checks a whole item before it is written. */
    private void checkItem(Table t, ObjectNode item) {
        for (String n : t.key.names()) {
            JsonNode v = item.get(n);
            if (v == null) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Missing the key " + n + " in the item");
            }
            String expected = t.attributeTypes.get(n);
            if (!expected.equals(Values.type(v))) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Type mismatch for key " + n
                        + " expected: " + expected + " actual: " + Values.type(v));
            }
            emptyKeyValue(n, v);
        }
        item.forEach(Values::validate);
        for (Table.Index i : t.indexes.values()) {
            for (String n : i.key().names()) {
                JsonNode v = item.get(n);
                String expected = t.attributeTypes.get(n);
                if (v != null && !expected.equals(Values.type(v))) {
                    throw DynamoDbError.validation("One or more parameter values were invalid: Type mismatch for Index Key "
                            + n + " Expected: " + expected + " Actual: " + Values.type(v) + " IndexName: " + i.name());
                }
                if (v != null) {
                    emptyKeyValue(n, v);
                }
            }
        }
        if (Values.itemSize(item) > MAX_ITEM_BYTES) {
            throw DynamoDbError.validation("Item size has exceeded the maximum allowed size");
        }
    }

    /** The condition of a write, from ConditionExpression or Expected; null when there is none. */
    private static Expr.Condition writeCondition(ObjectNode req, Placeholders p) {
        boolean expression = req.has("ConditionExpression");
        if (expression && req.has("Expected")) {
            throw mixed("Expected", "ConditionExpression");
        }
        if (expression) {
            return ExpressionParser.condition(req.get("ConditionExpression").asText(), "ConditionExpression", p);
        }
        if (req.has("Expected")) {
            return Legacy.conditions(req.get("Expected"), req.path("ConditionalOperator").asText(null), true);
        }
        return null;
    }

    private static AwsException mixed(String legacy, String expression) {
        return DynamoDbError.validation("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {"
                + legacy + "} Expression parameters: {" + expression + "}");
    }

    private static Placeholders placeholders(ObjectNode req) {
        return new Placeholders(req.get("ExpressionAttributeNames"), req.get("ExpressionAttributeValues"));
    }

    private static void checkPlaceholderValues(ObjectNode req) {
        JsonNode values = req.get("ExpressionAttributeValues");
        if (values != null) {
            values.forEach(Values::validate);
        }
    }

    private static void returnValues(ObjectNode req, Set<String> allowed) {
        String rv = req.path("ReturnValues").asText("NONE");
        if (!allowed.contains(rv)) {
            throw DynamoDbError.validation("ReturnValues can only be ALL_OLD or NONE");
        }
    }

    private static void consumed(ObjectNode out, ObjectNode req, Table t, double units) {
        String rc = req.path("ReturnConsumedCapacity").asText("NONE");
        if (!rc.equals("NONE")) {
            ObjectNode c = out.putObject("ConsumedCapacity");
            c.put("TableName", t.name);
            c.put("CapacityUnits", units);
        }
    }

    private static boolean conditionHolds(Expr.Condition c, ObjectNode item) {
        return c == null || Evaluator.test(c, item);
    }

    private static AwsException conditionFailed(ObjectNode req, ObjectNode old) {
        AwsException e = DynamoDbError.conditionalCheckFailed();
        // ReturnValuesOnConditionCheckFailure=ALL_OLD would add the item to the error; not carried here.
        return e;
    }

    public ObjectNode putItem(RequestContext ctx, ObjectNode req) {
        synchronized (lock) {
            Table t = table(ctx, req, true);
            returnValues(req, Set.of("NONE", "ALL_OLD"));
            ObjectNode item = (ObjectNode) req.get("Item");
            checkItem(t, item);
            checkPlaceholderValues(req);
            Placeholders p = placeholders(req);
            Expr.Condition condition = writeCondition(req, p);
            p.checkAllUsed();
            List<JsonNode> key = t.keyOf(item);
            ObjectNode old = t.items.get(key);
            if (!conditionHolds(condition, old)) {
                throw conditionFailed(req, old);
            }
            t.items.put(key, item.deepCopy());
            persist(t);
            ObjectNode out = Values.NODES.objectNode();
            if (old != null && "ALL_OLD".equals(req.path("ReturnValues").asText())) {
                out.set("Attributes", old);
            }
            consumed(out, req, t, 1.0);
            return out;
        }
    }

    public ObjectNode getItem(RequestContext ctx, ObjectNode req) {
        synchronized (lock) {
            Table t = table(ctx, req, true);
            checkKey(t, req.get("Key"));
            List<Expr.Path> projection = projection(req);
            ObjectNode item = t.items.get(t.keyOf(req.get("Key")));
            ObjectNode out = Values.NODES.objectNode();
            if (item != null) {
                out.set("Item", projection == null ? item : Evaluator.project(item, projection));
            }
            consumed(out, req, t, 0.5);
            return out;
        }
    }

    /** ProjectionExpression or AttributesToGet, null for all attributes; checks the names are used. */
    private static List<Expr.Path> projection(ObjectNode req) {
        Placeholders p = placeholders(req);
        List<Expr.Path> out = null;
        if (req.has("ProjectionExpression") && req.has("AttributesToGet")) {
            throw mixed("AttributesToGet", "ProjectionExpression");
        }
        if (req.has("ProjectionExpression")) {
            out = ExpressionParser.projection(req.get("ProjectionExpression").asText(), p);
        } else if (req.has("AttributesToGet")) {
            out = Legacy.attributes(req.get("AttributesToGet"));
        }
        p.checkAllUsed();
        return out;
    }

    public ObjectNode updateItem(RequestContext ctx, ObjectNode req) {
        synchronized (lock) {
            Table t = table(ctx, req, true);
            JsonNode keyNode = req.get("Key");
            checkKey(t, keyNode);
            returnValues(req, Set.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"));
            checkPlaceholderValues(req);
            Placeholders p = placeholders(req);
            if (req.has("UpdateExpression") && req.has("AttributeUpdates")) {
                throw mixed("AttributeUpdates", "UpdateExpression");
            }
            Expr.Update update = req.has("UpdateExpression")
                    ? ExpressionParser.update(req.get("UpdateExpression").asText(), p)
                    : req.has("AttributeUpdates") ? Legacy.updates(req.get("AttributeUpdates"))
                    : new Expr.Update(List.of(), List.of(), List.of(), List.of());
            Expr.Condition condition = writeCondition(req, p);
            p.checkAllUsed();
            for (Expr.Path path : update.paths()) {
                if (t.key.names().contains(path.top())) {
                    throw DynamoDbError.validation("One or more parameter values were invalid: Cannot update attribute "
                            + path.top() + ". This attribute is part of the key");
                }
            }
            List<JsonNode> key = t.keyOf(keyNode);
            ObjectNode old = t.items.get(key);
            if (!conditionHolds(condition, old)) {
                throw conditionFailed(req, old);
            }
            ObjectNode updated = Evaluator.apply(update, old, (ObjectNode) keyNode);
            checkItem(t, updated);
            t.items.put(key, updated);
            persist(t);
            ObjectNode out = Values.NODES.objectNode();
            String rv = req.path("ReturnValues").asText("NONE");
            ObjectNode attributes = switch (rv) {
                case "ALL_OLD" -> old;
                case "ALL_NEW" -> updated;
                case "UPDATED_OLD" -> old == null ? null : touched(update, old);
                case "UPDATED_NEW" -> touched(update, updated);
                default -> null;
            };
            if (attributes != null && attributes.size() > 0) {
                out.set("Attributes", attributes);
            }
            consumed(out, req, t, 1.0);
            return out;
        }
    }

    /** The top-level attributes an update wrote, as they are in {@code item}. */
    private static ObjectNode touched(Expr.Update update, ObjectNode item) {
        ObjectNode out = Values.NODES.objectNode();
        for (Expr.Path p : update.paths()) {
            JsonNode v = item.get(p.top());
            if (v != null) {
                out.set(p.top(), v);
            }
        }
        return out;
    }

    public ObjectNode deleteItem(RequestContext ctx, ObjectNode req) {
        synchronized (lock) {
            Table t = table(ctx, req, true);
            checkKey(t, req.get("Key"));
            returnValues(req, Set.of("NONE", "ALL_OLD"));
            checkPlaceholderValues(req);
            Placeholders p = placeholders(req);
            Expr.Condition condition = writeCondition(req, p);
            p.checkAllUsed();
            List<JsonNode> key = t.keyOf(req.get("Key"));
            ObjectNode old = t.items.get(key);
            if (!conditionHolds(condition, old)) {
                throw conditionFailed(req, old);
            }
            ObjectNode out = Values.NODES.objectNode();
            if (old != null) {
                t.items.remove(key);
                persist(t);
                if ("ALL_OLD".equals(req.path("ReturnValues").asText())) {
                    out.set("Attributes", old);
                }
            }
            consumed(out, req, t, 1.0);
            return out;
        }
    }

    public ObjectNode batchGetItem(RequestContext ctx, ObjectNode req) {
        synchronized (lock) {
            ObjectNode out = Values.NODES.objectNode();
            ObjectNode responses = out.putObject("Responses");
            int keys = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = req.get("RequestItems").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                ObjectNode spec = (ObjectNode) e.getValue();
                Table t = table(ctx, Values.NODES.objectNode().put("TableName", e.getKey()), true);
                List<Expr.Path> projection = projection(spec);
                ArrayNode found = responses.putArray(e.getKey());
                for (JsonNode k : spec.get("Keys")) {
                    keys++;
                    checkKey(t, k);
                    ObjectNode item = t.items.get(t.keyOf(k));
                    if (item != null) {
                        found.add(projection == null ? item : Evaluator.project(item, projection));
                    }
                }
            }
            if (keys > 100) {
                throw DynamoDbError.validation("Too many items requested for the BatchGetItem call");
            }
            out.putObject("UnprocessedKeys");
            return out;
        }
    }

    public ObjectNode batchWriteItem(RequestContext ctx, ObjectNode req) {
        synchronized (lock) {
            int count = 0;
            // Check every request before writing any, as DynamoDB rejects the whole batch.
            for (Iterator<Map.Entry<String, JsonNode>> it = req.get("RequestItems").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Table t = table(ctx, Values.NODES.objectNode().put("TableName", e.getKey()), true);
                for (JsonNode w : e.getValue()) {
                    count++;
                    if (w.has("PutRequest")) {
                        checkItem(t, (ObjectNode) w.get("PutRequest").get("Item"));
                    } else if (w.has("DeleteRequest")) {
                        checkKey(t, w.get("DeleteRequest").get("Key"));
                    }
                }
            }
            if (count > 25) {
                throw DynamoDbError.validation("Too many items requested for the BatchWriteItem call");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = req.get("RequestItems").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Table t = table(ctx, Values.NODES.objectNode().put("TableName", e.getKey()), true);
                for (JsonNode w : e.getValue()) {
                    if (w.has("PutRequest")) {
                        ObjectNode item = (ObjectNode) w.get("PutRequest").get("Item");
                        t.items.put(t.keyOf(item), item.deepCopy());
                    } else if (w.has("DeleteRequest")) {
                        t.items.remove(t.keyOf(w.get("DeleteRequest").get("Key")));
                    }
                }
                persist(t);
            }
            ObjectNode out = Values.NODES.objectNode();
            out.putObject("UnprocessedItems");
            return out;
        }
    }

    // ------------------------------------------------------------------ reads

    public ObjectNode scan(RequestContext ctx, ObjectNode req) {
        synchronized (lock) {
            Table t = table(ctx, req, true);
            Table.Index index = index(t, req);
            checkPlaceholderValues(req);
            Placeholders p = placeholders(req);
            Expr.Condition filter = filter(req, p, "ScanFilter");
            List<Expr.Path> projection = projectionOf(req, p);
            p.checkAllUsed();
            int total = req.path("TotalSegments").asInt(1);
            int segment = req.path("Segment").asInt(0);
            if (req.has("Segment") != req.has("TotalSegments")) {
                throw DynamoDbError.validation("The TotalSegments parameter is required but was not present in the request when parameter Segment is present");
            }
            if (segment >= total) {
                throw DynamoDbError.validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: "
                        + segment + " is not less than TotalSegments: " + total);
            }
            List<Entry> rows = new ArrayList<>();
            for (ObjectNode item : t.items.values()) {
                if (total > 1 && Math.floorMod(t.keyOf(item).get(0).hashCode(), total) != segment) {
                    continue;
                }
                List<JsonNode> sortKey = index == null ? t.keyOf(item) : t.indexKeyOf(index, item);
                if (sortKey != null) {
                    rows.add(new Entry(sortKey, item));
                }
            }
            if (index != null) {
                rows.sort((a, b) -> Table.TUPLE_ORDER.compare(a.sortKey, b.sortKey));
            }
            return page(t, index, rows, req, filter, projection, true);
        }
    }

    public ObjectNode query(RequestContext ctx, ObjectNode req) {
        synchronized (lock) {
            Table t = table(ctx, req, true);
            Table.Index index = index(t, req);
            if (index != null && !index.local() && req.path("ConsistentRead").asBoolean(false)) {
                throw DynamoDbError.validation("Consistent reads are not supported on global secondary indexes");
            }
            Table.KeySchema schema = index == null ? t.key : index.key();
            checkPlaceholderValues(req);
            Placeholders p = placeholders(req);
            Expr.Condition keyCondition;
            if (req.has("KeyConditionExpression")) {
                if (req.has("KeyConditions")) {
                    throw mixed("KeyConditions", "KeyConditionExpression");
                }
                keyCondition = ExpressionParser.condition(req.get("KeyConditionExpression").asText(),
                        "KeyConditionExpression", p);
            } else if (req.has("KeyConditions")) {
                keyCondition = Legacy.conditions(req.get("KeyConditions"), "AND", false);
            } else {
                throw DynamoDbError.validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
            }
            JsonNode hashValue = hashValue(keyCondition, schema);
            Expr.Condition filter = filter(req, p, "QueryFilter");
            List<Expr.Path> projection = projectionOf(req, p);
            p.checkAllUsed();
            List<Entry> rows = new ArrayList<>();
            for (ObjectNode item : t.items.values()) {
                if (!Values.equal(item.get(schema.hash()), hashValue)) {
                    continue;
                }
                List<JsonNode> sortKey = index == null ? t.keyOf(item) : t.indexKeyOf(index, item);
                if (sortKey != null && Evaluator.test(keyCondition, item)) {
                    rows.add(new Entry(sortKey, item));
                }
            }
            rows.sort((a, b) -> Table.TUPLE_ORDER.compare(a.sortKey, b.sortKey));
            if (!req.path("ScanIndexForward").asBoolean(true)) {
                java.util.Collections.reverse(rows);
            }
            return page(t, index, rows, req, filter, projection, req.path("ScanIndexForward").asBoolean(true));
        }
    }

    /**
     * The partition key value a key condition asks for: it must be {@code hash = :v}, alone or
     * ANDed with one condition on the sort key, as DynamoDB requires.
     */
    private static JsonNode hashValue(Expr.Condition c, Table.KeySchema schema) {
        List<Expr.Condition> parts = new ArrayList<>();
        if (c instanceof Expr.And and) {
            parts.add(and.left());
            parts.add(and.right());
        } else {
            parts.add(c);
        }
        JsonNode hash = null;
        for (Expr.Condition part : parts) {
            String attribute = keyAttribute(part);
            if (attribute == null) {
                throw DynamoDbError.validation("Invalid operator used in KeyConditionExpression: " + operatorName(part));
            }
            if (attribute.equals(schema.hash())) {
                if (!(part instanceof Expr.Comparison cmp) || !cmp.operator().equals("=")
                        || !(cmp.right() instanceof Expr.Literal lit)) {
                    throw DynamoDbError.validation("Query key condition not supported");
                }
                hash = lit.value();
            } else if (!attribute.equals(schema.range())) {
                throw DynamoDbError.validation("Query condition missed key schema element: " + schema.hash());
            }
        }
        if (hash == null) {
            throw DynamoDbError.validation("Query condition missed key schema element: " + schema.hash());
        }
        return hash;
    }

    private static String keyAttribute(Expr.Condition c) {
        Expr.Operand o = null;
        if (c instanceof Expr.Comparison cmp && !cmp.operator().equals("<>")) {
            o = cmp.left();
        } else if (c instanceof Expr.Between b) {
            o = b.value();
        } else if (c instanceof Expr.Function f && f.name().equals("begins_with")) {
            o = f.arguments().get(0);
        }
        return o instanceof Expr.PathOperand p && p.path().isTopLevel() ? p.path().top() : null;
    }

    private static String operatorName(Expr.Condition c) {
        if (c instanceof Expr.Or) {
            return "OR";
        }
        if (c instanceof Expr.Not) {
            return "NOT";
        }
        if (c instanceof Expr.In) {
            return "IN";
        }
        if (c instanceof Expr.Comparison cmp) {
            return cmp.operator();
        }
        if (c instanceof Expr.Function f) {
            return f.name();
        }
        return "AND";
    }

    private static Table.Index index(Table t, ObjectNode req) {
        if (!req.has("IndexName")) {
            return null;
        }
        String name = req.get("IndexName").asText();
        Table.Index i = t.indexes.get(name);
        if (i == null) {
            throw DynamoDbError.validation("The table does not have the specified index: " + name);
        }
        return i;
    }

    private static Expr.Condition filter(ObjectNode req, Placeholders p, String legacyName) {
        if (req.has("FilterExpression")) {
            if (req.has(legacyName)) {
                throw mixed(legacyName, "FilterExpression");
            }
            return ExpressionParser.condition(req.get("FilterExpression").asText(), "FilterExpression", p);
        }
        if (req.has(legacyName)) {
            return Legacy.conditions(req.get(legacyName), req.path("ConditionalOperator").asText(null), false);
        }
        return null;
    }

    private static List<Expr.Path> projectionOf(ObjectNode req, Placeholders p) {
        if (req.has("ProjectionExpression")) {
            if (req.has("AttributesToGet")) {
                throw mixed("AttributesToGet", "ProjectionExpression");
            }
            return ExpressionParser.projection(req.get("ProjectionExpression").asText(), p);
        }
        return req.has("AttributesToGet") ? Legacy.attributes(req.get("AttributesToGet")) : null;
    }

    private record Entry(List<JsonNode> sortKey, ObjectNode item) {
    }

    /**
     * One page of a Query or Scan over rows in reading order: skips past ExclusiveStartKey, stops
     * at Limit items read or 1 MB, then filters and projects what was read. LastEvaluatedKey is
     * set whenever the page stopped early, as DynamoDB does (even if nothing follows).
     */
    private ObjectNode page(Table t, Table.Index index, List<Entry> rows, ObjectNode req, Expr.Condition filter,
                            List<Expr.Path> projection, boolean forward) {
        int limit = req.has("Limit") ? req.get("Limit").asInt() : Integer.MAX_VALUE;
        int from = 0;
        JsonNode start = req.get("ExclusiveStartKey");
        if (start != null) {
            List<JsonNode> startKey = index == null ? t.keyOf(start) : t.indexKeyOf(index, start);
            if (startKey == null || startKey.contains(null)) {
                throw DynamoDbError.validation("The provided starting key is invalid: The provided key element does not match the schema");
            }
            while (from < rows.size()) {
                int c = Table.TUPLE_ORDER.compare(rows.get(from).sortKey, startKey);
                if (forward ? c > 0 : c < 0) {
                    break;
                }
                from++;
            }
        }
        String select = req.path("Select").asText(projection == null ? "ALL_ATTRIBUTES" : "SPECIFIC_ATTRIBUTES");
        ObjectNode out = Values.NODES.objectNode();
        ArrayNode items = Values.NODES.arrayNode();
        int scanned = 0;
        long bytes = 0;
        ObjectNode last = null;
        int i = from;
        while (i < rows.size() && scanned < limit && bytes < PAGE_BYTES) {
            ObjectNode item = rows.get(i).item;
            ObjectNode visible = index == null ? item : t.project(index, item);
            scanned++;
            bytes += Values.itemSize(item);
            last = item;
            i++;
            if (filter != null && !Evaluator.test(filter, visible)) {
                continue;
            }
            if (!select.equals("COUNT")) {
                items.add(projection == null ? visible : Evaluator.project(visible, projection));
            }
        }
        if (!select.equals("COUNT")) {
            out.set("Items", items);
        }
        out.put("Count", select.equals("COUNT") ? countMatches(rows, from, i, filter, t, index) : items.size());
        out.put("ScannedCount", scanned);
        if (last != null && (scanned == limit || bytes >= PAGE_BYTES) && (scanned == limit || i < rows.size())) {
            out.set("LastEvaluatedKey", index == null ? t.keyAttributes(last) : t.indexKeyAttributes(index, last));
        }
        consumed(out, req, t, Math.max(0.5, bytes / 4096.0 / 2));
        return out;
    }

    private static int countMatches(List<Entry> rows, int from, int to, Expr.Condition filter, Table t, Table.Index index) {
        int n = 0;
        for (int i = from; i < to; i++) {
            ObjectNode item = rows.get(i).item;
            if (filter == null || Evaluator.test(filter, index == null ? item : t.project(index, item))) {
                n++;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ table settings

    private Table tableByArn(RequestContext ctx, String arn) {
        for (Table t : tables.values()) {
            if (t.arn.equals(arn)) {
                return t;
            }
        }
        throw new AwsException(DynamoDbError.RESOURCE_NOT_FOUND, "Requested resource not found: ResourcArn: " + arn + " not found");
    }

    public ObjectNode tagResource(RequestContext ctx, ObjectNode req) {
        synchronized (lock) {
            Table t = tableByArn(ctx, req.get("ResourceArn").asText());
            for (JsonNode tag : req.get("Tags")) {
                t.tags.put(tag.get("Key").asText(), tag.get("Value").asText());
            }
            persist(t);
            return null;
        }
    }

    public ObjectNode untagResource(RequestContext ctx, ObjectNode req) {
        synchronized (lock) {
            Table t = tableByArn(ctx, req.get("ResourceArn").asText());
            req.get("TagKeys").forEach(k -> t.tags.remove(k.asText()));
            persist(t);
            return null;
        }
    }

    public ObjectNode listTagsOfResource(RequestContext ctx, ObjectNode req) {
        synchronized (lock) {
            Table t = tableByArn(ctx, req.get("ResourceArn").asText());
            ObjectNode out = Values.NODES.objectNode();
            ArrayNode tags = out.putArray("Tags");
            t.tags.forEach((k, v) -> tags.addObject().put("Key", k).put("Value", v));
            return out;
        }
    }

    public ObjectNode describeContinuousBackups(RequestContext ctx, ObjectNode req) {
        synchronized (lock) {
            Table t = tables.get(id(ctx.account(), ctx.region(), req.get("TableName").asText()));
            if (t == null) {
                throw new AwsException(DynamoDbError.TABLE_NOT_FOUND, "Table not found: " + req.get("TableName").asText());
            }
            return backups(t);
        }
    }

    public ObjectNode updateContinuousBackups(RequestContext ctx, ObjectNode req) {
        synchronized (lock) {
            Table t = tables.get(id(ctx.account(), ctx.region(), req.get("TableName").asText()));
            if (t == null) {
                throw new AwsException(DynamoDbError.TABLE_NOT_FOUND, "Table not found: " + req.get("TableName").asText());
            }
            t.pointInTimeRecovery = req.get("PointInTimeRecoverySpecification").get("PointInTimeRecoveryEnabled").asBoolean();
            persist(t);
            return backups(t);
        }
    }

    private static ObjectNode backups(Table t) {
        ObjectNode out = Values.NODES.objectNode();
        ObjectNode d = out.putObject("ContinuousBackupsDescription");
        d.put("ContinuousBackupsStatus", "ENABLED");
        ObjectNode pitr = d.putObject("PointInTimeRecoveryDescription");
        pitr.put("PointInTimeRecoveryStatus", t.pointInTimeRecovery ? "ENABLED" : "DISABLED");
        if (t.pointInTimeRecovery) {
            pitr.put("RecoveryPeriodInDays", 35);
        }
        return out;
    }

    public ObjectNode describeTimeToLive(RequestContext ctx, ObjectNode req) {
        synchronized (lock) {
            Table t = table(ctx, req, false);
            ObjectNode out = Values.NODES.objectNode();
            ObjectNode d = out.putObject("TimeToLiveDescription");
            d.put("TimeToLiveStatus", t.ttlAttribute == null ? "DISABLED" : "ENABLED");
            if (t.ttlAttribute != null) {
                d.put("AttributeName", t.ttlAttribute);
            }
            return out;
        }
    }

    public ObjectNode updateTimeToLive(RequestContext ctx, ObjectNode req) {
        synchronized (lock) {
            Table t = table(ctx, req, false);
            JsonNode spec = req.get("TimeToLiveSpecification");
            boolean enabled = spec.get("Enabled").asBoolean();
            String attribute = spec.get("AttributeName").asText();
            if (enabled == (t.ttlAttribute != null)) {
                throw DynamoDbError.validation(enabled ? "TimeToLive is already enabled" : "TimeToLive is already disabled");
            }
            t.ttlAttribute = enabled ? attribute : null;
            persist(t);
            ObjectNode out = Values.NODES.objectNode();
            out.set("TimeToLiveSpecification", spec);
            return out;
        }
    }
}
