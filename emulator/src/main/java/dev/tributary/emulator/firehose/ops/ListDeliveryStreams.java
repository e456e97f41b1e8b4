package dev.tributary.emulator.firehose.ops;

import dev.tributary.emulator.firehose.FirehoseBackend;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists delivery stream names in alphabetical order, {@code Limit} (default 10) after
 * {@code ExclusiveStartDeliveryStreamName}, optionally of one {@code DeliveryStreamType}.
 *
 * @see <a href="https://docs.aws.amazon.com/firehose/latest/APIReference/API_ListDeliveryStreams.html">ListDeliveryStreams</a>
 */
public final class ListDeliveryStreams
        extends FirehoseOperation<ListDeliveryStreams.Request, ListDeliveryStreams.Response> {
    static final int DEFAULT_LIMIT = 10;

    public record Request(Integer limit, String deliveryStreamType, String exclusiveStartDeliveryStreamName) {
    }

    public record Response(List<String> deliveryStreamNames, Boolean hasMoreDeliveryStreams) {
    }

    public ListDeliveryStreams(FirehoseBackend firehose) {
        super(firehose, Request.class);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        int limit = in.limit() == null ? DEFAULT_LIMIT : in.limit();
        List<String> names = new ArrayList<>();
        boolean more = false;
        for (StreamInfo info : firehose.list(ctx.account(), ctx.region())) {
            var d = firehose.description(info);
            String name = d.get("DeliveryStreamName").asText();
            if (in.deliveryStreamType() != null && !in.deliveryStreamType().equals(d.path("DeliveryStreamType").asText())) {
                continue;
            }
            if (in.exclusiveStartDeliveryStreamName() != null && name.compareTo(in.exclusiveStartDeliveryStreamName()) <= 0) {
                continue;
            }
            if (names.size() == limit) {
                more = true;
                break;
            }
            names.add(name);
        }
        return new Response(names, more);
    }
}
