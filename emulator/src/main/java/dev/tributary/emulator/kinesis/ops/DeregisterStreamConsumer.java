package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Deregisters a consumer (by StreamARN + ConsumerName or by ConsumerARN): DELETING for the
 * configured delay, then gone.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DeregisterStreamConsumer.html">DeregisterStreamConsumer</a>
 */
public final class DeregisterStreamConsumer extends KinesisOperation<DeregisterStreamConsumer.Request, Void> {

    public record Request(String streamARN, String consumerName, String consumerARN, String streamId) {
    }

    public DeregisterStreamConsumer(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        Consumers.Located c = Consumers.locate(kinesis, ctx, in.streamARN(), in.consumerName(), in.consumerARN());
        long now = kinesis.nowMillis();
        long delay = kinesis.config().deleteStreamDelay().toMillis();
        String name = c.consumer().name();
        StreamSettings.update(kinesis, c.info(), attrs -> {
            if (delay <= 0) {
                attrs.remove(Consumers.PREFIX + name);
                attrs.keySet().removeIf(k -> k.startsWith(Tags.prefix(name)));
            } else {
                attrs.put(Consumers.PREFIX + name, new Consumers.Consumer(name, c.consumer().createdMillis(),
                        KinesisBackend.DELETING, now + delay).encode());
            }
        });
        return null;
    }
}
