package dev.tributary.emulator.firehose.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.firehose.FirehoseBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Describes a delivery stream: status, ARN, version, source, its one destination (after
 * {@code ExclusiveStartDestinationId}, up to {@code Limit}) and encryption.
 *
 * @see <a href="https://docs.aws.amazon.com/firehose/latest/APIReference/API_DescribeDeliveryStream.html">DescribeDeliveryStream</a>
 */
public final class DescribeDeliveryStream
        extends FirehoseOperation<DescribeDeliveryStream.Request, DescribeDeliveryStream.Response> {

    public record Request(String deliveryStreamName, Integer limit, String exclusiveStartDestinationId) {
    }

    public record Response(ObjectNode deliveryStreamDescription) {
    }

    public DescribeDeliveryStream(FirehoseBackend firehose) {
        super(firehose, Request.class);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        ObjectNode d = firehose.description(firehose.get(ctx, in.deliveryStreamName()));
        ArrayNode all = (ArrayNode) d.get("Destinations");
        ArrayNode page = d.arrayNode();
        boolean started = in.exclusiveStartDestinationId() == null;
        int limit = in.limit() == null ? Integer.MAX_VALUE : in.limit();
        boolean more = false;
        for (var dest : all) {
            if (!started) {
                started = dest.path("DestinationId").asText().equals(in.exclusiveStartDestinationId());
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(dev.tributary.emulator.firehose.Destinations.redact(dest));
        }
        d.set("Destinations", page);
        d.put("HasMoreDestinations", more);
        return new Response(d);
    }
}
