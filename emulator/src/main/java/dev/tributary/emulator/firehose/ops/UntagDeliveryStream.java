package dev.tributary.emulator.firehose.ops;

import dev.tributary.emulator.firehose.FirehoseBackend;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes tags by key; keys that are not there are ignored.
 *
 * @see <a href="https://docs.aws.amazon.com/firehose/latest/APIReference/API_UntagDeliveryStream.html">UntagDeliveryStream</a>
 */
public final class UntagDeliveryStream extends FirehoseOperation<UntagDeliveryStream.Request, Void> {

    public record Request(String deliveryStreamName, List<String> tagKeys) {
    }

    public UntagDeliveryStream(FirehoseBackend firehose) {
        super(firehose, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        StreamInfo info = firehose.get(ctx, in.deliveryStreamName());
        firehose.store().updateStream(info.name(), attrs -> {
            Map<String, String> next = new HashMap<>(attrs);
            in.tagKeys().forEach(k -> next.remove(FirehoseBackend.TAG_PREFIX + k));
            return next;
        }, null);
        return null;
    }
}
