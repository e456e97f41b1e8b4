package dev.tributary.emulator.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.emulator.protocol.WireFormat;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DynamoDB backend without HTTP: tables, conditional writes, Query and Scan pages, durability. */
class DynamoDbBackendTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RequestContext CTX = new RequestContext("000000000000", "us-east-1", "r", WireFormat.JSON);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static ObjectNode json(String s) {
        try {
            return (ObjectNode) JSON.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    /** A KCL-shaped lease table: leaseKey, and the leaseOwner index KCL 3 queries. */
    private static DynamoDbBackend withLeaseTable(Path dir) {
        DynamoDbBackend db = new DynamoDbBackend(dir, CLOCK);
        db.createTable(CTX, json("{'TableName':'leases','BillingMode':'PAY_PER_REQUEST',"
                + "'AttributeDefinitions':[{'AttributeName':'leaseKey','AttributeType':'S'},{'AttributeName':'leaseOwner','AttributeType':'S'}],"
                + "'KeySchema':[{'AttributeName':'leaseKey','KeyType':'HASH'}],"
                + "'GlobalSecondaryIndexes':[{'IndexName':'LeaseOwnerToLeaseKeyIndex','KeySchema':[{'AttributeName':'leaseOwner','KeyType':'HASH'},"
                + "{'AttributeName':'leaseKey','KeyType':'RANGE'}],'Projection':{'ProjectionType':'KEYS_ONLY'}}]}"));
        return db;
    }

    private static void put(DynamoDbBackend db, String key, String owner) {
        db.putItem(CTX, json("{'TableName':'leases','Item':{'leaseKey':{'S':'" + key + "'},'leaseOwner':{'S':'" + owner
                + "'},'leaseCounter':{'N':'0'}}}"));
    }

    private static String errorName(AwsException e) {
        return e.error().code().substring(e.error().code().indexOf('#') + 1);
    }

    @Test
    void describeTableIsActiveWithItsIndexAndBilling() {
        DynamoDbBackend db = withLeaseTable(null);
        JsonNode t = db.describeTable(CTX, json("{'TableName':'leases'}")).get("Table");
        assertThat(t.get("TableStatus").asText()).isEqualTo("ACTIVE");
        assertThat(t.get("BillingModeSummary").get("BillingMode").asText()).isEqualTo("PAY_PER_REQUEST");
        assertThat(t.get("GlobalSecondaryIndexes").get(0).get("IndexStatus").asText()).isEqualTo("ACTIVE");
        assertThat(t.get("TableArn").asText()).isEqualTo("arn:aws:dynamodb:us-east-1:000000000000:table/leases");
    }

    @Test
    void tableErrorsAreResourceInUseAndResourceNotFound() {
        DynamoDbBackend db = withLeaseTable(null);
        assertThatThrownBy(() -> db.createTable(CTX, json("{'TableName':'leases','BillingMode':'PAY_PER_REQUEST',"
                + "'AttributeDefinitions':[{'AttributeName':'k','AttributeType':'S'}],'KeySchema':[{'AttributeName':'k','KeyType':'HASH'}]}")))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(errorName(e)).isEqualTo("ResourceInUseException");
                    assertThat(e.getMessage()).isEqualTo("Table already exists: leases");
                });
        assertThatThrownBy(() -> db.describeTable(CTX, json("{'TableName':'nope'}")))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(errorName(e)).isEqualTo("ResourceNotFoundException");
                    assertThat(e.getMessage()).isEqualTo("Requested resource not found: Table: nope not found");
                });
        assertThatThrownBy(() -> db.getItem(CTX, json("{'TableName':'nope','Key':{'k':{'S':'x'}}}")))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.getMessage()).isEqualTo("Requested resource not found"));
    }

    @Test
    void conditionalWritesTakeTheLeaseOnceOnly() {
        DynamoDbBackend db = withLeaseTable(null);
        String take = "{'TableName':'leases','Item':{'leaseKey':{'S':'shard-0'},'leaseOwner':{'S':'OWNER'}},"
                + "'ConditionExpression':'attribute_not_exists(leaseKey)'}";
        db.putItem(CTX, json(take.replace("OWNER", "w1")));
        assertThatThrownBy(() -> db.putItem(CTX, json(take.replace("OWNER", "w2"))))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(errorName(e)).isEqualTo("ConditionalCheckFailedException");
                    assertThat(e.getMessage()).isEqualTo("The conditional request failed");
                });
        // KCL's renewal: legacy Expected on the counter, AttributeUpdates ADD.
        ObjectNode renewed = db.updateItem(CTX, json("{'TableName':'leases','Key':{'leaseKey':{'S':'shard-0'}},"
                + "'Expected':{'leaseOwner':{'Value':{'S':'w1'}}},'AttributeUpdates':{'leaseCounter':{'Action':'ADD','Value':{'N':'1'}}},"
                + "'ReturnValues':'ALL_NEW'}"));
        assertThat(renewed.get("Attributes").get("leaseCounter")).isEqualTo(json("{'N':'1'}"));
        assertThatThrownBy(() -> db.deleteItem(CTX, json("{'TableName':'leases','Key':{'leaseKey':{'S':'shard-0'}},"
                + "'Expected':{'leaseOwner':{'Value':{'S':'w2'}}}}")))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(errorName(e)).isEqualTo("ConditionalCheckFailedException"));
        assertThat(db.getItem(CTX, json("{'TableName':'leases','Key':{'leaseKey':{'S':'shard-0'}}}")).get("Item")
                .get("leaseOwner")).isEqualTo(json("{'S':'w1'}"));
    }

    @Test
    void updatingAKeyAttributeOrMixingExpressionStylesIsAValidationException() {
        DynamoDbBackend db = withLeaseTable(null);
        assertThatThrownBy(() -> db.updateItem(CTX, json("{'TableName':'leases','Key':{'leaseKey':{'S':'a'}},"
                + "'UpdateExpression':'SET leaseKey = :v','ExpressionAttributeValues':{':v':{'S':'b'}}}")))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(errorName(e)).isEqualTo("ValidationException");
                    assertThat(e.getMessage()).isEqualTo("One or more parameter values were invalid: Cannot update attribute leaseKey. This attribute is part of the key");
                });
        assertThatThrownBy(() -> db.putItem(CTX, json("{'TableName':'leases','Item':{'leaseKey':{'S':'a'}},"
                + "'ConditionExpression':'attribute_not_exists(leaseKey)','Expected':{'leaseKey':{'Exists':false}}}")))
                .hasMessage("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}");
        assertThatThrownBy(() -> db.putItem(CTX, json("{'TableName':'leases','Item':{'leaseOwner':{'S':'a'}}}")))
                .hasMessage("One or more parameter values were invalid: Missing the key leaseKey in the item");
        assertThatThrownBy(() -> db.getItem(CTX, json("{'TableName':'leases','Key':{'leaseKey':{'N':'1'}}}")))
                .hasMessage("The provided key element does not match the schema");
    }

    @Test
    void queryOnTheOwnerIndexReturnsThatOwnersKeysInOrderInPages() {
        DynamoDbBackend db = withLeaseTable(null);
        for (int i = 7; i >= 0; i--) {
            put(db, "shard-" + i, i % 2 == 0 ? "even" : "odd");
        }
        List<String> keys = new ArrayList<>();
        JsonNode start = null;
        int pages = 0;
        do {
            ObjectNode req = json("{'TableName':'leases','IndexName':'LeaseOwnerToLeaseKeyIndex','Limit':2,"
                    + "'KeyConditionExpression':'#o = :o','ExpressionAttributeNames':{'#o':'leaseOwner'},"
                    + "'ExpressionAttributeValues':{':o':{'S':'even'}}}");
            if (start != null) {
                req.set("ExclusiveStartKey", start);
            }
            ObjectNode page = db.query(CTX, req);
            page.get("Items").forEach(item -> {
                keys.add(item.get("leaseKey").get("S").asText());
                assertThat(item.has("leaseCounter")).as("KEYS_ONLY projection").isFalse();
            });
            start = page.get("LastEvaluatedKey");
            pages++;
        } while (start != null);
        assertThat(keys).containsExactly("shard-0", "shard-2", "shard-4", "shard-6");
        assertThat(pages).as("a full last page still has a LastEvaluatedKey, as in DynamoDB: an empty page follows").isEqualTo(3);
    }

    @Test
    void queryKeyConditionMustNameThePartitionKey() {
        DynamoDbBackend db = withLeaseTable(null);
        assertThatThrownBy(() -> db.query(CTX, json("{'TableName':'leases','KeyConditionExpression':'leaseOwner = :o',"
                + "'ExpressionAttributeValues':{':o':{'S':'x'}}}")))
                .hasMessage("Query condition missed key schema element: leaseKey");
    }

    @Test
    void scanPagesAndSegmentsReturnEveryItemExactlyOnce() {
        DynamoDbBackend db = withLeaseTable(null);
        for (int i = 0; i < 25; i++) {
            put(db, "shard-" + i, "w");
        }
        List<String> paged = new ArrayList<>();
        JsonNode start = null;
        do {
            ObjectNode req = json("{'TableName':'leases','Limit':7}");
            if (start != null) {
                req.set("ExclusiveStartKey", start);
            }
            ObjectNode page = db.scan(CTX, req);
            page.get("Items").forEach(i -> paged.add(i.get("leaseKey").get("S").asText()));
            start = page.get("LastEvaluatedKey");
        } while (start != null);
        assertThat(paged).hasSize(25).doesNotHaveDuplicates();
        Set<String> segmented = new HashSet<>();
        int total = 0;
        for (int s = 0; s < 4; s++) {
            ObjectNode page = db.scan(CTX, json("{'TableName':'leases','Segment':" + s + ",'TotalSegments':4}"));
            total += page.get("Count").asInt();
            page.get("Items").forEach(i -> segmented.add(i.get("leaseKey").get("S").asText()));
        }
        assertThat(total).isEqualTo(25);
        assertThat(segmented).hasSize(25);
        ObjectNode filtered = db.scan(CTX, json("{'TableName':'leases','FilterExpression':'begins_with(leaseKey, :p)',"
                + "'ExpressionAttributeValues':{':p':{'S':'shard-1'}},'Select':'COUNT'}"));
        assertThat(filtered.get("Count").asInt()).isEqualTo(11);
        assertThat(filtered.get("ScannedCount").asInt()).isEqualTo(25);
        assertThat(filtered.has("Items")).isFalse();
    }

    @Test
    void tablesAndItemsSurviveARestartFromTheDataDirectory(@TempDir Path dir) {
        DynamoDbBackend db = withLeaseTable(dir);
        put(db, "shard-0", "w1");
        db.putItem(CTX, json("{'TableName':'leases','Item':{'leaseKey':{'S':'shard-1'},'blob':{'B':'AAEC'},'bs':{'BS':['AQ==']}}}"));
        db.updateItem(CTX, json("{'TableName':'leases','Key':{'leaseKey':{'S':'shard-0'}},'UpdateExpression':'SET checkpoint = :c',"
                + "'ExpressionAttributeValues':{':c':{'S':'49590'}}}"));

        DynamoDbBackend reopened = new DynamoDbBackend(dir, CLOCK);
        JsonNode lease = reopened.getItem(CTX, json("{'TableName':'leases','Key':{'leaseKey':{'S':'shard-0'}}}")).get("Item");
        assertThat(lease.get("checkpoint")).isEqualTo(json("{'S':'49590'}"));
        JsonNode binary = reopened.getItem(CTX, json("{'TableName':'leases','Key':{'leaseKey':{'S':'shard-1'}}}")).get("Item");
        assertThat(binary.get("blob").get("B").isBinary()).isTrue();
        assertThat(reopened.scan(CTX, json("{'TableName':'leases','FilterExpression':'blob = :b',"
                + "'ExpressionAttributeValues':{':b':{'B':'AAEC'}}}")).get("Count").asInt()).isEqualTo(1);
        assertThat(reopened.describeTable(CTX, json("{'TableName':'leases'}")).get("Table").get("GlobalSecondaryIndexes"))
                .hasSize(1);
        reopened.deleteTable(CTX, json("{'TableName':'leases'}"));
        assertThat(new DynamoDbBackend(dir, CLOCK).listTables(CTX, json("{}")).get("TableNames")).isEmpty();
    }
}
