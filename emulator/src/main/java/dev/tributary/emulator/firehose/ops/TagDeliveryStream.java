package dev.tributary.emulator.firehose.ops;

import dev.tributary.emulator.firehose.FirehoseBackend;
import dev.tributary.emulator.firehose.FirehoseError;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds or replaces tags, at most 50 per delivery stream (LimitExceededException beyond).
 *
 * @see <a href="https://docs.aws.amazon.com/firehose/latest/APIReference/API_TagDeliveryStream.html">TagDeliveryStream</a>
 */
public final class TagDeliveryStream extends FirehoseOperation<TagDeliveryStream.Request, Void> {
    public static final int MAX_TAGS = 50;

    public record Tag(String key, String value) {
    }

    public record Request(String deliveryStreamName, List<Tag> tags) {
    }

    public TagDeliveryStream(FirehoseBackend firehose) {
        super(firehose, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        StreamInfo info = firehose.get(ctx, in.deliveryStreamName());
        firehose.store().updateStream(info.name(), attrs -> {
            Map<String, String> next = new HashMap<>(attrs);
            for (Tag t : in.tags()) {
                next.put(FirehoseBackend.TAG_PREFIX + t.key(), t.value() == null ? "" : t.value());
            }
            long count = next.keySet().stream().filter(k -> k.startsWith(FirehoseBackend.TAG_PREFIX)).count();
            if (count > MAX_TAGS) {
                throw new AwsException(FirehoseError.LIMIT_EXCEEDED, "A delivery stream cannot have more than "
                        + MAX_TAGS + " tags.");
            }
            return next;
        }, null);
        return null;
    }
}
