package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.ResourceArn;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;

/** Resolving the ResourceARN of the ARN-based operations (tags and policies) to a stream or consumer. */
final class Resources {
    /** A resolved resource: the stream, and the consumer's name when the ARN names one. */
    record Resource(ResourceArn arn, StreamInfo info, String consumer) {
    }

    private Resources() {
    }

    static Resource resolve(KinesisBackend kinesis, RequestContext ctx, String resourceArn) {
        ResourceArn arn = ResourceArn.parse(resourceArn);
        if (arn == null) {
            throw KinesisBackend.invalidArgument("Invalid ResourceARN " + resourceArn + ".");
        }
        if (arn.consumer() != null) {
            Consumers.Located c = Consumers.locate(kinesis, ctx, null, null, resourceArn);
            return new Resource(arn, c.info(), c.consumer().name());
        }
        return new Resource(arn, kinesis.get(arn.stream()), null);
    }
}
