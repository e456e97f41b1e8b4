package dev.tributary.emulator.firehose.ops;

import dev.tributary.emulator.firehose.FirehoseBackend;
import dev.tributary.emulator.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lists tags in key order, {@code Limit} (default 50) after {@code ExclusiveStartTagKey}, with
 * {@code HasMoreTags}.
 *
 * @see <a href="https://docs.aws.amazon.com/firehose/latest/APIReference/API_ListTagsForDeliveryStream.html">ListTagsForDeliveryStream</a>
 */
public final class ListTagsForDeliveryStream
        extends FirehoseOperation<ListTagsForDeliveryStream.Request, ListTagsForDeliveryStream.Response> {
    static final int DEFAULT_LIMIT = 50;

    public record Request(String deliveryStreamName, String exclusiveStartTagKey, Integer limit) {
    }

    public record Response(List<TagDeliveryStream.Tag> tags, Boolean hasMoreTags) {
    }

    public ListTagsForDeliveryStream(FirehoseBackend firehose) {
        super(firehose, Request.class);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        TreeMap<String, String> all = new TreeMap<>();
        firehose.get(ctx, in.deliveryStreamName()).attributes().forEach((k, v) -> {
            if (k.startsWith(FirehoseBackend.TAG_PREFIX)) {
                all.put(k.substring(FirehoseBackend.TAG_PREFIX.length()), v);
            }
        });
        Map<String, String> after = in.exclusiveStartTagKey() == null ? all
                : all.tailMap(in.exclusiveStartTagKey(), false);
        int limit = in.limit() == null ? DEFAULT_LIMIT : in.limit();
        List<TagDeliveryStream.Tag> page = new ArrayList<>();
        for (Map.Entry<String, String> e : after.entrySet()) {
            if (page.size() == limit) {
                break;
            }
            page.add(new TagDeliveryStream.Tag(e.getKey(), e.getValue()));
        }
        return new Response(page, after.size() > page.size());
    }
}
