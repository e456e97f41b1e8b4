package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.KinesisError;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;
import java.util.Map;

/**
 * Registers an enhanced fan-out consumer: CREATING, then ACTIVE after the configured delay; its ARN
 * is {@code <streamARN>/consumer/<name>:<creationEpochSeconds>}. At most 20 per stream.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RegisterStreamConsumer.html">RegisterStreamConsumer</a>
 */
public final class RegisterStreamConsumer
        extends KinesisOperation<RegisterStreamConsumer.Request, RegisterStreamConsumer.Response> {

    public record Request(String streamARN, String consumerName, String streamId, Map<String, String> tags) {
    }

    public record Response(Consumers.ConsumerSummary consumer) {
    }

    public RegisterStreamConsumer(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        StreamRef ref = kinesis.ref(ctx, null, in.streamARN());
        StreamInfo info = kinesis.getWritable(ref, true);
        long now = kinesis.nowMillis();
        long delay = kinesis.config().createStreamDelay().toMillis();
        Consumers.Consumer consumer = new Consumers.Consumer(in.consumerName(), now,
                delay > 0 ? KinesisBackend.CREATING : KinesisBackend.ACTIVE, now + delay);
        StreamSettings.update(kinesis, info, attrs -> {
            String existing = attrs.get(Consumers.PREFIX + in.consumerName());
            if (existing != null && Consumers.Consumer.decode(in.consumerName(), existing).statusAt(now) != null) {
                throw new AwsException(KinesisError.RESOURCE_IN_USE, "Consumer " + in.consumerName()
                        + " under stream " + ref.name() + " already exists for account " + ref.account() + ".");
            }
            long live = attrs.entrySet().stream().filter(e -> e.getKey().startsWith(Consumers.PREFIX))
                    .filter(e -> Consumers.Consumer.decode(e.getKey().substring(Consumers.PREFIX.length()),
                            e.getValue()).statusAt(now) != null).count();
            long creating = attrs.entrySet().stream().filter(e -> e.getKey().startsWith(Consumers.PREFIX))
                    .filter(e -> KinesisBackend.CREATING.equals(Consumers.Consumer.decode(
                            e.getKey().substring(Consumers.PREFIX.length()), e.getValue()).statusAt(now))).count();
            if (creating >= Consumers.MAX_CREATING) {
                // AWS documents the rule (at most 5 consumers CREATING at once), not its text.
                throw new AwsException(KinesisError.LIMIT_EXCEEDED, "Only " + Consumers.MAX_CREATING
                        + " consumers can be in CREATING status at the same time for stream " + ref.arn() + ".");
            }
            if (live >= Consumers.MAX_CONSUMERS) {
                throw new AwsException(KinesisError.LIMIT_EXCEEDED, "Consumer limit of " + Consumers.MAX_CONSUMERS
                        + " has been reached for stream " + ref.arn() + ".");
            }
            attrs.keySet().removeIf(k -> k.startsWith(Tags.prefix(in.consumerName())));
            attrs.put(Consumers.PREFIX + in.consumerName(), consumer.encode());
            if (in.tags() != null) {
                in.tags().forEach((k, v) -> attrs.put(Tags.prefix(in.consumerName()) + k, v == null ? "" : v));
            }
        });
        return new Response(new Consumers.ConsumerSummary(consumer.name(), consumer.arn(ref), consumer.status(),
                KinesisBackend.instant(now)));
    }
}
