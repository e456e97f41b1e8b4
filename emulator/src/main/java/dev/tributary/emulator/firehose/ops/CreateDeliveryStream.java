package dev.tributary.emulator.firehose.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.firehose.Destinations;
import dev.tributary.emulator.firehose.FirehoseBackend;
import dev.tributary.emulator.firehose.FirehoseError;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamExistsException;
import dev.tributary.store.api.StreamInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * Creates a delivery stream: DirectPut or KinesisStreamAsSource (read from LATEST), with exactly
 * one destination. It is CREATING for the configured create delay, then ACTIVE. Its buffer log is
 * created at once, and for a Kinesis source the starting position is taken now.
 *
 * @see <a href="https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html">CreateDeliveryStream</a>
 */
public final class CreateDeliveryStream extends FirehoseOperation<ObjectNode, CreateDeliveryStream.Response> {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public record Response(String deliveryStreamARN) {
    }

    public CreateDeliveryStream(FirehoseBackend firehose) {
        super(firehose, ObjectNode.class);
    }

    @Override
    public Response execute(RequestContext ctx, ObjectNode in) {
        String name = in.get("DeliveryStreamName").asText();
        String type = in.path("DeliveryStreamType").asText("DirectPut");
        String sourceKey = null;
        ObjectNode source = NODES.objectNode();
        switch (type) {
            case "DirectPut" -> {
                if (in.has("KinesisStreamSourceConfiguration") || in.has("MSKSourceConfiguration")) {
                    throw FirehoseBackend.invalidArgument("KinesisSourceStreamConfig/MSKSourceConfig is only"
                            + " allowed for KinesisStreamAsSource/MSKAsSource delivery stream type.");
                }
                if (in.has("DirectPutSourceConfiguration")) {
                    source.set("DirectPutSourceDescription", in.get("DirectPutSourceConfiguration").deepCopy());
                }
            }
            case "KinesisStreamAsSource" -> {
                JsonNode ks = in.get("KinesisStreamSourceConfiguration");
                if (ks == null) {
                    throw FirehoseBackend.invalidArgument(
                            "KinesisSourceStreamConfig is required for KinesisStreamAsSource delivery stream type.");
                }
                String streamArn = ks.get("KinesisStreamARN").asText();
                StreamRef ref = StreamRef.ofArn(streamArn);
                if (ref == null || firehose.store().stream(ref.storeKey()).isEmpty()) {
                    throw FirehoseBackend.invalidArgument("Kinesis stream " + streamArn + " does not exist.");
                }
                sourceKey = ref.storeKey();
                ObjectNode d = ks.deepCopy();
                d.put("DeliveryStartTimestamp", firehose.nowSeconds());
                source.set("KinesisStreamSourceDescription", d);
            }
            case "MSKAsSource" -> {
                JsonNode msk = in.get("MSKSourceConfiguration");
                if (msk == null) {
                    throw FirehoseBackend.invalidArgument(
                            "MSKSourceConfiguration is required for MSKAsSource delivery stream type.");
                }
                String topic = msk.path("TopicName").asText();
                // The cluster's topics are the store's Kafka topics (every MSK cluster shares them).
                String key = dev.tributary.emulator.kafka.KafkaTopics.storeName(topic);
                if (firehose.store().stream(key).isEmpty()) {
                    throw FirehoseBackend.invalidArgument("Topic " + topic + " does not exist in MSK cluster "
                            + msk.path("MSKClusterARN").asText() + ".");
                }
                sourceKey = key;
                ObjectNode d = msk.deepCopy();
                d.put("DeliveryStartTimestamp", firehose.nowSeconds());
                source.set("MSKSourceDescription", d);
            }
            default -> throw FirehoseBackend.invalidArgument("Tributary does not support the " + type
                    + " delivery stream type yet: use DirectPut, KinesisStreamAsSource or MSKAsSource.");
        }
        String destType = Destinations.onlyType(in, "Configuration");
        if (destType == null) {
            throw FirehoseBackend.invalidArgument("Exactly one destination configuration is supported for a Firehose");
        }
        JsonNode config = in.get(destType + "DestinationConfiguration");
        Destinations.checkHints(Destinations.s3Part(destType, config) == config ? config : config.get("S3Configuration"));
        ObjectNode destination = Destinations.describe(destType, config);
        Destinations.check(destType, destination);
        if (firehose.list(ctx.account(), ctx.region()).size() >= FirehoseBackend.MAX_STREAMS) {
            throw new AwsException(FirehoseError.LIMIT_EXCEEDED, "You have already consumed your firehose quota of "
                    + FirehoseBackend.MAX_STREAMS + " hoses.");
        }

        long delay = firehose.config().createStreamDelay().toMillis();
        ObjectNode d = NODES.objectNode();
        d.put("DeliveryStreamName", name);
        d.put("DeliveryStreamARN", FirehoseBackend.arn(ctx, name));
        d.put("DeliveryStreamStatus", delay > 0 ? FirehoseBackend.CREATING : FirehoseBackend.ACTIVE);
        ObjectNode encryption = d.putObject("DeliveryStreamEncryptionConfiguration");
        JsonNode enc = in.get("DeliveryStreamEncryptionConfigurationInput");
        if (enc != null) {
            if (enc.has("KeyARN")) {
                encryption.set("KeyARN", enc.get("KeyARN"));
            }
            encryption.set("KeyType", enc.get("KeyType"));
            encryption.put("Status", "ENABLED");
        } else {
            encryption.put("Status", "DISABLED");
        }
        d.put("DeliveryStreamType", type);
        d.put("VersionId", "1");
        d.put("CreateTimestamp", firehose.nowSeconds());
        if (!source.isEmpty()) {
            d.set("Source", source);
        }
        ArrayNode destinations = d.putArray("Destinations");
        destinations.add(Destinations.destination(FirehoseBackend.DESTINATION_ID, destType, destination));

        Map<String, String> attrs = new HashMap<>();
        attrs.put(FirehoseBackend.DESCRIPTION, firehose.encode(d));
        if (delay > 0) {
            attrs.put(FirehoseBackend.STATUS_UNTIL, Long.toString(firehose.nowMillis() + delay));
        }
        if (sourceKey != null) {
            attrs.put(FirehoseBackend.SOURCE, sourceKey);
        }
        for (JsonNode tag : in.path("Tags")) {
            attrs.put(FirehoseBackend.TAG_PREFIX + tag.get("Key").asText(), tag.path("Value").asText(""));
        }
        StreamInfo info;
        try {
            info = firehose.engine().create(FirehoseBackend.storeKey(ctx, name), attrs, sourceKey);
        } catch (StreamExistsException e) {
            throw new AwsException(FirehoseError.RESOURCE_IN_USE,
                    "Firehose " + name + " under accountId " + ctx.account() + " already exists");
        }
        firehose.deliver(info, d);
        return new Response(FirehoseBackend.arn(ctx, name));
    }
}
