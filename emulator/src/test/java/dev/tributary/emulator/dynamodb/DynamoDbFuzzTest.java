package dev.tributary.emulator.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.emulator.protocol.Authenticator;
import dev.tributary.emulator.protocol.AwsJsonDispatcher;
import dev.tributary.emulator.protocol.AwsMappers;
import dev.tributary.emulator.protocol.RawRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random DynamoDB requests, valid and not, through the whole dispatcher: expressions from a soup
 * of the language's tokens, items and placeholder values of every attribute type (and malformed
 * ones), start keys of the wrong shape. None may end as an InternalFailure (HTTP 500).
 */
class DynamoDbFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", 20261122L);
    private static final int ITERATIONS = Integer.getInteger("fuzz.dynamodb.iterations", 20_000);
    private static final String AUTH = "AWS4-HMAC-SHA256 Credential=AKID/20300102/us-east-1/dynamodb/aws4_request, "
            + "SignedHeaders=host, Signature=0";
    private static final String[] OPS = {"CreateTable", "DeleteTable", "DescribeTable", "UpdateTable", "ListTables",
        "PutItem", "GetItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem", "BatchWriteItem",
        "TagResource", "UntagResource", "ListTagsOfResource", "DescribeContinuousBackups", "UpdateContinuousBackups",
        "DescribeTimeToLive", "UpdateTimeToLive"};
    private static final String[] TOKENS = {"a", "k", "r", "#n", "#m", ":v", ":w", ":x", "(", ")", "[", "]", "0", "3",
        "99999999999", ".", ",", "=", "<>", "<", "<=", ">", ">=", "+", "-", "AND", "OR", "NOT", "BETWEEN", "IN", "SET",
        "REMOVE", "ADD", "DELETE", "attribute_exists(", "attribute_not_exists(", "begins_with(", "contains(", "size(",
        "attribute_type(", "if_not_exists(", "list_append(", "bogus(", "$", "\u00e9"};

    private final Random random = new Random(SEED);
    private AwsJsonDispatcher dispatcher;

    @Test
    void noRandomRequestIsAnInternalFailure() {
        DynamoDbBackend backend = new DynamoDbBackend(null, Clock.systemUTC());
        dispatcher = new AwsJsonDispatcher(List.of(DynamoDbService.create(backend)), new AwsMappers(),
                new Authenticator("000000000000", "us-east-1", false));
        call("CreateTable", "{\"TableName\":\"t\",\"BillingMode\":\"PAY_PER_REQUEST\",\"AttributeDefinitions\":["
                + "{\"AttributeName\":\"k\",\"AttributeType\":\"S\"},{\"AttributeName\":\"r\",\"AttributeType\":\"N\"},"
                + "{\"AttributeName\":\"g\",\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"k\",\"KeyType\":\"HASH\"},"
                + "{\"AttributeName\":\"r\",\"KeyType\":\"RANGE\"}],\"GlobalSecondaryIndexes\":[{\"IndexName\":\"gi\","
                + "\"KeySchema\":[{\"AttributeName\":\"g\",\"KeyType\":\"HASH\"}],\"Projection\":{\"ProjectionType\":\"KEYS_ONLY\"}}]}");
        Map<Integer, Integer> statuses = new LinkedHashMap<>();
        for (int i = 0; i < ITERATIONS; i++) {
            String op = OPS[random.nextInt(OPS.length)];
            String body = body(op);
            AwsJsonDispatcher.Answer answer = call(op, body);
            statuses.merge(answer.status(), 1, Integer::sum);
            assertThat(answer.status()).as("iteration %d (seed %d) %s %s -> %s", i, SEED, op, body,
                    new String(answer.body(), StandardCharsets.UTF_8)).isLessThan(500);
        }
        assertThat(statuses.getOrDefault(200, 0)).as("statuses %s", statuses).isGreaterThan(ITERATIONS / 40);
    }

    private AwsJsonDispatcher.Answer call(String op, String body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("X-Amz-Target", List.of("DynamoDB_20120810." + op));
        headers.put("Content-Type", List.of("application/x-amz-json-1.0"));
        headers.put("Authorization", List.of(AUTH));
        return dispatcher.dispatch(new RawRequest("POST", "/", null, headers, body.getBytes(StandardCharsets.UTF_8)));
    }

    private String body(String op) {
        StringBuilder b = new StringBuilder("{\"TableName\":\"").append(pick("t", "t", "t", "missing")).append('"');
        String key = "{\"k\":" + value(true) + ",\"r\":" + pick("{\"N\":\"1\"}", "{\"N\":\"" + random.nextInt(5) + "\"}", value(true)) + "}";
        switch (op) {
            case "PutItem" -> b.append(",\"Item\":").append(item());
            case "GetItem", "DeleteItem", "UpdateItem" -> b.append(",\"Key\":").append(random.nextInt(10) == 0 ? item() : key);
            case "Query" -> b.append(",\"KeyConditionExpression\":\"").append(pick("k = :v", "k = :v AND r > :w", expression()))
                    .append('"').append(random.nextBoolean() ? ",\"IndexName\":\"" + pick("gi", "nope") + "\"" : "");
            case "BatchWriteItem" -> b = new StringBuilder("{\"RequestItems\":{\"").append(pick("t", "missing"))
                    .append("\":[{\"PutRequest\":{\"Item\":").append(item()).append("}},{\"DeleteRequest\":{\"Key\":")
                    .append(key).append("}}]");
            case "BatchGetItem" -> b = new StringBuilder("{\"RequestItems\":{\"").append(pick("t", "missing"))
                    .append("\":{\"Keys\":[").append(key).append("]}}");
            case "UpdateTable" -> b.append(",\"GlobalSecondaryIndexUpdates\":[{\"").append(pick("Create", "Delete", "Update"))
                    .append("\":{\"IndexName\":\"").append(pick("gi", "g2")).append("\",\"KeySchema\":[{\"AttributeName\":\"")
                    .append(pick("g", "zz")).append("\",\"KeyType\":\"HASH\"}],\"Projection\":{\"ProjectionType\":\"ALL\"}}}]");
            case "TagResource", "UntagResource", "ListTagsOfResource" -> b = new StringBuilder("{\"ResourceArn\":\"")
                    .append(pick("arn:aws:dynamodb:us-east-1:000000000000:table/t", "arn:x")).append("\",\"Tags\":[{\"Key\":\"a\",\"Value\":\"b\"}],\"TagKeys\":[\"a\"]");
            case "UpdateTimeToLive" -> b.append(",\"TimeToLiveSpecification\":{\"Enabled\":").append(random.nextBoolean())
                    .append(",\"AttributeName\":\"ttl\"}");
            case "UpdateContinuousBackups" -> b.append(",\"PointInTimeRecoverySpecification\":{\"PointInTimeRecoveryEnabled\":true}");
            default -> {
            }
        }
        if (random.nextBoolean()) {
            b.append(",\"").append(pick("ConditionExpression", "FilterExpression", "ProjectionExpression", "UpdateExpression"))
                    .append("\":\"").append(expression()).append('"');
        }
        if (random.nextInt(4) == 0) {
            b.append(",\"").append(pick("Expected", "AttributeUpdates", "KeyConditions", "ScanFilter")).append("\":{\"a\":")
                    .append(pick("{\"Exists\":false}", "{\"Value\":" + value(false) + "}", "{\"ComparisonOperator\":\""
                            + pick("EQ", "BETWEEN", "IN", "NULL", "CONTAINS", "BEGINS_WITH") + "\",\"AttributeValueList\":["
                            + value(false) + "]}", "{\"Action\":\"" + pick("ADD", "DELETE", "PUT") + "\",\"Value\":" + value(false) + "}"))
                    .append('}');
        }
        if (random.nextBoolean()) {
            b.append(",\"ExpressionAttributeNames\":{\"#n\":\"a\",\"#m\":\"").append(pick("k", "r", "g", "b")).append("\"}");
        }
        if (random.nextBoolean()) {
            b.append(",\"ExpressionAttributeValues\":{\":v\":").append(value(false)).append(",\":w\":").append(value(false)).append('}');
        }
        if (random.nextInt(4) == 0) {
            b.append(",\"ExclusiveStartKey\":").append(random.nextBoolean() ? key : item());
        }
        if (random.nextInt(4) == 0) {
            b.append(",\"Limit\":").append(random.nextInt(4) + 1);
        }
        if (random.nextInt(6) == 0) {
            b.append(",\"Segment\":").append(random.nextInt(3)).append(",\"TotalSegments\":").append(random.nextInt(3) + 1);
        }
        if (random.nextInt(6) == 0) {
            b.append(",\"ReturnValues\":\"").append(pick("ALL_OLD", "ALL_NEW", "UPDATED_OLD", "UPDATED_NEW", "NONE")).append('"');
        }
        if (random.nextInt(6) == 0) {
            b.append(",\"Select\":\"").append(pick("COUNT", "ALL_ATTRIBUTES", "SPECIFIC_ATTRIBUTES")).append('"');
        }
        return b.append('}').toString();
    }

    private String expression() {
        StringBuilder e = new StringBuilder();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            e.append(TOKENS[random.nextInt(TOKENS.length)]).append(random.nextBoolean() ? " " : "");
        }
        return e.toString();
    }

    private String item() {
        StringBuilder b = new StringBuilder("{");
        if (random.nextInt(8) != 0) {
            b.append("\"k\":").append(value(true)).append(',');
        }
        if (random.nextInt(8) != 0) {
            b.append("\"r\":").append(pick("{\"N\":\"" + random.nextInt(5) + "\"}", value(true))).append(',');
        }
        b.append("\"g\":").append(value(true)).append(",\"a\":").append(value(false)).append(",\"b\":").append(value(false));
        return b.append('}').toString();
    }

    private String value(boolean keyish) {
        if (keyish && random.nextInt(4) != 0) {
            return "{\"S\":\"" + pick("x", "y", "", "z") + "\"}";
        }
        return pick("{\"S\":\"s\"}", "{\"N\":\"" + random.nextInt(100) + "\"}", "{\"N\":\"1e400\"}", "{\"N\":\"abc\"}",
                "{\"B\":\"AAE=\"}", "{\"BOOL\":true}", "{\"NULL\":true}", "{\"NULL\":false}", "{}", "{\"S\":\"a\",\"N\":\"1\"}",
                "{\"SS\":[\"a\",\"b\"]}", "{\"SS\":[]}", "{\"SS\":[\"a\",\"a\"]}", "{\"NS\":[\"1\",\"2\"]}", "{\"BS\":[\"AA==\"]}",
                "{\"L\":[{\"S\":\"a\"},{\"N\":\"1\"}]}", "{\"L\":[null]}", "{\"M\":{\"x\":{\"S\":\"y\"}}}", "{\"M\":{\"x\":{}}}",
                "null", "\"text\"", "{\"N\":\"123456789012345678901234567890123456789\"}");
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }
}
