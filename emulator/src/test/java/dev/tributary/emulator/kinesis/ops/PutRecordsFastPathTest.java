package dev.tributary.emulator.kinesis.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The PutRecords fast decoder accepts exactly the SDKs' usual well-formed requests and hands
 * everything else (which may deserve an AWS error) to the model path by answering null.
 */
class PutRecordsFastPathTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CBOR = new CBORMapper();
    private final PutRecords op = new PutRecords(null);

    private static ObjectNode request(int records) {
        ObjectNode root = JSON.createObjectNode().put("StreamName", "orders-1.a_b");
        ArrayNode list = root.putArray("Records");
        for (int i = 0; i < records; i++) {
            list.addObject().put("Data", ("payload " + i).getBytes(StandardCharsets.UTF_8)).put("PartitionKey", "k" + i);
        }
        return root;
    }

    private PutRecords.Request decode(ObjectNode tree, boolean cbor) throws Exception {
        ObjectMapper m = cbor ? CBOR : JSON;
        JsonFactory f = cbor ? new CBORFactory() : new JsonFactory();
        return op.decodeFast(m.writeValueAsBytes(tree), f);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void decodesAWellFormedRequest(boolean cbor) throws Exception {
        ObjectNode tree = request(500);
        ((ObjectNode) tree.get("Records").get(7)).put("ExplicitHashKey", "340282366920938463463374607431768211455");
        PutRecords.Request r = decode(tree, cbor);
        assertThat(r).isNotNull();
        assertThat(r.streamName()).isEqualTo("orders-1.a_b");
        assertThat(r.streamARN()).isNull();
        assertThat(r.records()).hasSize(500);
        assertThat(new String(r.records().get(499).data(), StandardCharsets.UTF_8)).isEqualTo("payload 499");
        assertThat(r.records().get(499).partitionKey()).isEqualTo("k499");
        assertThat(r.records().get(7).explicitHashKey()).isEqualTo("340282366920938463463374607431768211455");
        assertThat(r.records().get(6).explicitHashKey()).isNull();
    }

    private void assertModelPath(boolean cbor, Consumer<ObjectNode> change) throws Exception {
        ObjectNode tree = request(3);
        change.accept(tree);
        assertThat(decode(tree, cbor)).as(tree.toString()).isNull();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void leavesEverythingElseToTheModelPath(boolean cbor) throws Exception {
        assertModelPath(cbor, t -> t.remove("StreamName"));
        assertModelPath(cbor, t -> t.put("StreamName", ""));
        assertModelPath(cbor, t -> t.put("StreamName", "has space"));
        assertModelPath(cbor, t -> t.put("StreamName", "x".repeat(129)));
        assertModelPath(cbor, t -> t.put("StreamARN", "arn:aws:kinesis:us-east-1:000000000000:stream/orders"));
        assertModelPath(cbor, t -> t.put("DryRun", true));
        assertModelPath(cbor, t -> t.put("Unknown", 1));
        assertModelPath(cbor, t -> t.putNull("StreamName"));
        assertModelPath(cbor, t -> t.putArray("Records"));
        assertModelPath(cbor, t -> ((ArrayNode) t.get("Records")).addNull());
        assertModelPath(cbor, t -> ((ObjectNode) t.get("Records").get(0)).remove("Data"));
        assertModelPath(cbor, t -> ((ObjectNode) t.get("Records").get(0)).put("Data", 5));
        assertModelPath(cbor, t -> ((ObjectNode) t.get("Records").get(0)).put("PartitionKey", ""));
        assertModelPath(cbor, t -> ((ObjectNode) t.get("Records").get(0)).put("PartitionKey", "k".repeat(257)));
        assertModelPath(cbor, t -> ((ObjectNode) t.get("Records").get(0)).put("ExplicitHashKey", "01"));
        assertModelPath(cbor, t -> ((ObjectNode) t.get("Records").get(0)).put("ExplicitHashKey", "-1"));
        assertModelPath(cbor, t -> ((ObjectNode) t.get("Records").get(0)).put("ExplicitHashKey", "1".repeat(40)));
        assertModelPath(cbor, t -> ((ObjectNode) t.get("Records").get(0)).put("Extra", "x"));
        assertModelPath(cbor, t -> t.set("Records", request(501).get("Records")));
        assertModelPath(cbor, t -> ((ObjectNode) t.get("Records").get(0)).put("Data", "text, not a blob"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "", "[]", "{\"StreamName\":\"s\",\"Records\":[{\"Data\":\"YQ=\"}]}",
            "{\"StreamName\":\"s\",\"Records\":[{\"Data\":\"Y*==\"}]}", "{\"StreamName\":\"s\"} {}"})
    void leavesMalformedJsonToTheModelPath(String body) {
        assertThat(op.decodeFast(body.getBytes(StandardCharsets.UTF_8), new JsonFactory())).isNull();
    }
}
