package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Describes a consumer, named by StreamARN + ConsumerName or by ConsumerARN.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeStreamConsumer.html">DescribeStreamConsumer</a>
 */
public final class DescribeStreamConsumer
        extends KinesisOperation<DescribeStreamConsumer.Request, DescribeStreamConsumer.Response> {

    public record Request(String streamARN, String consumerName, String consumerARN, String streamId) {
    }

    public record Response(Consumers.ConsumerDescription consumerDescription) {
    }

    public DescribeStreamConsumer(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        Consumers.Located c = Consumers.locate(kinesis, ctx, in.streamARN(), in.consumerName(), in.consumerARN());
        return new Response(new Consumers.ConsumerDescription(c.consumer().name(), c.consumer().arn(c.stream()),
                c.consumer().statusAt(kinesis.nowMillis()), KinesisBackend.instant(c.consumer().createdMillis()),
                c.stream().arn()));
    }
}
