package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * The account's minimum throughput billing commitment.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeAccountSettings.html">DescribeAccountSettings</a>
 */
public final class DescribeAccountSettings
        extends KinesisOperation<DescribeAccountSettings.Request, DescribeAccountSettings.Response> {

    public record Request() {
    }

    public record Response(AccountSettings.Commitment minimumThroughputBillingCommitment) {
    }

    private final AccountSettings settings;

    public DescribeAccountSettings(KinesisBackend kinesis, AccountSettings settings) {
        super(kinesis, Request.class);
        this.settings = settings;
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        return new Response(settings.get(ctx, AccountSettings.now(kinesis)));
    }
}
