package dev.tributary.emulator.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.EmulatorConfig;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DynamoDB (JSON 1.0) and CloudWatch / STS (Query, JSON 1.0, RPC v2 CBOR) HTTP contracts with
 * raw bodies: content types, {@code __type} names with their namespace, the bare name in
 * {@code x-amzn-ErrorType}, and the Query protocol's XML answers.
 */
class DynamoDbHttpTest {
    static final String AUTH = "AWS4-HMAC-SHA256 Credential=123456789012/20300102/us-east-1/dynamodb/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=0000";
    static final ObjectMapper MAPPER = new ObjectMapper();
    static Tributary tributary;
    static HttpClient http;

    @BeforeAll
    static void start() {
        tributary = Tributary.start(EmulatorConfig.forTests());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        tributary.close();
    }

    static HttpResponse<String> dynamo(String op, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(tributary.endpoint().resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "DynamoDB_20120810." + op)
                .header("Authorization", AUTH)
                .POST(HttpRequest.BodyPublishers.ofString(body.replace('\'', '"'))).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> post(String path, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(tributary.endpoint().resolve(path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void answersInJson10WithNamespacedTypeAndBareErrorHeader() throws Exception {
        HttpResponse<String> created = dynamo("CreateTable", "{'TableName':'t','BillingMode':'PAY_PER_REQUEST',"
                + "'AttributeDefinitions':[{'AttributeName':'k','AttributeType':'S'}],'KeySchema':[{'AttributeName':'k','KeyType':'HASH'}]}");
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.0");
        assertThat(MAPPER.readTree(created.body()).get("TableDescription").get("TableArn").asText())
                .as("the account is the 12-digit access key id").isEqualTo("arn:aws:dynamodb:us-east-1:123456789012:table/t");

        assertThat(dynamo("PutItem", "{'TableName':'t','Item':{'k':{'S':'a'},'b':{'B':'AAE='}}}").statusCode()).isEqualTo(200);
        JsonNode item = MAPPER.readTree(dynamo("GetItem", "{'TableName':'t','Key':{'k':{'S':'a'}}}").body()).get("Item");
        assertThat(item.get("b").get("B").asText()).as("binary values travel base64").isEqualTo("AAE=");

        HttpResponse<String> failed = dynamo("PutItem", "{'TableName':'t','Item':{'k':{'S':'a'}},"
                + "'ConditionExpression':'attribute_not_exists(k)'}");
        assertThat(failed.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(failed.body()).get("__type").asText())
                .isEqualTo("com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException");
        assertThat(MAPPER.readTree(failed.body()).get("message").asText()).isEqualTo("The conditional request failed");
        assertThat(failed.headers().firstValue("x-amzn-ErrorType")).hasValue("ConditionalCheckFailedException:");

        HttpResponse<String> missing = dynamo("DescribeTable", "{'TableName':'nope'}");
        assertThat(MAPPER.readTree(missing.body()).get("__type").asText())
                .isEqualTo("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException");
        HttpResponse<String> invalid = dynamo("GetItem", "{'TableName':'t','Key':{'k':{'N':'1'}}}");
        assertThat(MAPPER.readTree(invalid.body()).get("__type").asText()).isEqualTo("com.amazon.coral.validate#ValidationException");
        assertThat(dynamo("ExecuteStatement", "{'Statement':'SELECT * FROM t'}").body()).contains("UnknownOperationException");
    }

    @Test
    void cloudWatchQueryAcceptsGzippedPutMetricDataAndListsIt() throws Exception {
        String form = "Action=PutMetricData&Version=2010-08-01&Namespace=app&MetricData.member.1.MetricName=Records"
                + "&MetricData.member.1.Value=3&MetricData.member.1.Dimensions.member.1.Name=Shard"
                + "&MetricData.member.1.Dimensions.member.1.Value=s%2D0";
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(form.getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<byte[]> put = post("/", Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8",
                "Content-Encoding", "gzip"), gz.toByteArray());
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(new String(put.body(), StandardCharsets.UTF_8))
                .startsWith("<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><ResponseMetadata><RequestId>");
        HttpResponse<byte[]> list = post("/", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "Action=ListMetrics&Version=2010-08-01&Namespace=app".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(list.body(), StandardCharsets.UTF_8)).contains(
                "<member><Namespace>app</Namespace><MetricName>Records</MetricName><Dimensions><member><Name>Shard</Name><Value>s-0</Value></member></Dimensions></member>");
        HttpResponse<byte[]> unknown = post("/", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "Action=DescribeAlarms&Version=2010-08-01".getBytes(StandardCharsets.UTF_8));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(new String(unknown.body(), StandardCharsets.UTF_8)).contains("<Code>InvalidAction</Code>");
    }

    @Test
    void cloudWatchJsonAndRpcV2CborAreAccepted() throws Exception {
        HttpResponse<byte[]> json = post("/", Map.of("Content-Type", "application/x-amz-json-1.0",
                "X-Amz-Target", "GraniteServiceVersion20100801.PutMetricData"),
                "{\"Namespace\":\"j\",\"MetricData\":[{\"MetricName\":\"m\",\"Value\":1.5}]}".getBytes(StandardCharsets.UTF_8));
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(new String(json.body(), StandardCharsets.UTF_8)).isEqualTo("{}");

        byte[] cbor = new CBORMapper().writeValueAsBytes(Map.of("Namespace", "c",
                "MetricData", java.util.List.of(Map.of("MetricName", "m", "Value", 2.0))));
        HttpResponse<byte[]> rpc = post("/service/GraniteServiceVersion20100801/operation/PutMetricData",
                Map.of("Content-Type", "application/cbor", "smithy-protocol", "rpc-v2-cbor"), cbor);
        assertThat(rpc.statusCode()).isEqualTo(200);
        assertThat(rpc.headers().firstValue("smithy-protocol")).hasValue("rpc-v2-cbor");
        assertThat(rpc.body()).isEmpty();
        HttpResponse<byte[]> bad = post("/service/GraniteServiceVersion20100801/operation/PutMetricData",
                Map.of("Content-Type", "application/cbor", "smithy-protocol", "rpc-v2-cbor"), new CBORMapper().writeValueAsBytes(Map.of()));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(new CBORMapper().readTree(bad.body()).get("__type").asText()).isEqualTo("InvalidParameterValue");
    }

    @Test
    void stsGetCallerIdentityNamesTheAccountOfTheAccessKey() throws Exception {
        HttpResponse<byte[]> r = post("/", Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Authorization", "AWS4-HMAC-SHA256 Credential=123456789012/20300102/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0"),
                "Action=GetCallerIdentity&Version=2011-06-15".getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("<Account>123456789012</Account>")
                .contains("<Arn>arn:aws:iam::123456789012:root</Arn>");
    }
}
