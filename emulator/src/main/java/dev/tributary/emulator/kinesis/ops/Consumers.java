package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.KinesisError;
import dev.tributary.emulator.kinesis.ResourceArn;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Enhanced fan-out consumers of a stream, kept in the stream's attributes as
 * {@code consumer:<name>} = {@code <createdMillis>|<status>|<statusUntilMillis>}. Registration is
 * CREATING for the stream-creation delay, deregistration DELETING for the deletion delay; both
 * settle lazily against the clock, like stream states.
 */
final class Consumers {
    static final String PREFIX = "consumer:";
    static final int MAX_CONSUMERS = 20;
    static final int MAX_CREATING = 5;

    /** One consumer as stored. */
    record Consumer(String name, long createdMillis, String status, long untilMillis) {
        String arn(StreamRef stream) {
            return ResourceArn.consumerArn(stream, name, createdMillis / 1000);
        }

        String encode() {
            return createdMillis + "|" + status + "|" + untilMillis;
        }

        static Consumer decode(String name, String value) {
            String[] p = value.split("\\|");
            return new Consumer(name, Long.parseLong(p[0]), p[1], Long.parseLong(p[2]));
        }

        /** The status at {@code now}: transitions past their deadline are complete (DELETING -> gone). */
        String statusAt(long now) {
            if (now < untilMillis) {
                return status;
            }
            return status.equals(KinesisBackend.DELETING) ? null : KinesisBackend.ACTIVE;
        }
    }

    /** The consumer description AWS answers with. */
    public record ConsumerDescription(String consumerName, String consumerARN, String consumerStatus,
                                      Instant consumerCreationTimestamp, String streamARN) {
    }

    /** The consumer summary in RegisterStreamConsumer and ListStreamConsumers. */
    public record ConsumerSummary(String consumerName, String consumerARN, String consumerStatus,
                                  Instant consumerCreationTimestamp) {
    }

    private Consumers() {
    }

    /** The stream's live consumers (not yet fully deleted), by name order. */
    static List<Consumer> of(StreamInfo info, long now) {
        List<Consumer> out = new ArrayList<>();
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(info.attributes()).entrySet()) {
            if (e.getKey().startsWith(PREFIX)) {
                Consumer c = Consumer.decode(e.getKey().substring(PREFIX.length()), e.getValue());
                if (c.statusAt(now) != null) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /** A consumer named by StreamARN + ConsumerName, or by ConsumerARN. */
    record Located(StreamRef stream, StreamInfo info, Consumer consumer) {
    }

    static Located locate(KinesisBackend kinesis, RequestContext ctx, String streamArn, String consumerName,
                          String consumerArn) {
        StreamRef ref;
        String name;
        long createdSeconds = -1;
        if (consumerArn != null) {
            ResourceArn arn = ResourceArn.parse(consumerArn);
            if (arn == null || arn.consumer() == null) {
                throw KinesisBackend.invalidArgument("Invalid ConsumerARN " + consumerArn + ".");
            }
            ref = arn.stream();
            name = arn.consumer();
            createdSeconds = arn.consumerCreated();
        } else {
            if (streamArn == null || consumerName == null) {
                throw KinesisBackend.invalidArgument(
                        "Either ConsumerARN or both StreamARN and ConsumerName must be provided.");
            }
            ref = kinesis.ref(ctx, null, streamArn);
            name = consumerName;
        }
        StreamInfo info = kinesis.find(ref).orElse(null);
        String stored = info == null ? null : info.attributes().get(PREFIX + name);
        Consumer c = stored == null ? null : Consumer.decode(name, stored);
        if (c == null || c.statusAt(kinesis.nowMillis()) == null
                || (createdSeconds >= 0 && createdSeconds != c.createdMillis() / 1000)) {
            throw new AwsException(KinesisError.RESOURCE_NOT_FOUND, "Consumer "
                    + (consumerArn != null ? consumerArn : name) + " under account " + ref.account() + " not found.");
        }
        return new Located(ref, info, c);
    }
}
