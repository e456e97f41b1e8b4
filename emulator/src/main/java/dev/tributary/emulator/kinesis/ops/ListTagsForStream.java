package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.kinesis.shapes.KinesisShapes.Tag;
import dev.tributary.emulator.protocol.RequestContext;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lists a stream's tags in key order, {@code Limit} (default 50) at a time after
 * {@code ExclusiveStartTagKey}, with {@code HasMoreTags}.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListTagsForStream.html">ListTagsForStream</a>
 */
public final class ListTagsForStream extends KinesisOperation<ListTagsForStream.Request, ListTagsForStream.Response> {
    /** AWS's default is not documented; 50 returns every tag a stream can have. */
    static final int DEFAULT_LIMIT = 50;

    public record Request(String streamName, String exclusiveStartTagKey, Integer limit, String streamARN,
                          String streamId) {
    }

    public record Response(List<Tag> tags, Boolean hasMoreTags) {
    }

    public ListTagsForStream(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        StreamRef ref = kinesis.ref(ctx, in.streamName(), in.streamARN());
        TreeMap<String, String> all = Tags.of(kinesis.get(ref), null);
        Map<String, String> after = in.exclusiveStartTagKey() == null ? all : all.tailMap(in.exclusiveStartTagKey(), false);
        int limit = in.limit() == null ? DEFAULT_LIMIT : in.limit();
        TreeMap<String, String> page = new TreeMap<>(Tags.CODE_POINT_ORDER);
        for (Map.Entry<String, String> e : after.entrySet()) {
            if (page.size() == limit) {
                break;
            }
            page.put(e.getKey(), e.getValue());
        }
        return new Response(Tags.list(page), after.size() > page.size());
    }
}
