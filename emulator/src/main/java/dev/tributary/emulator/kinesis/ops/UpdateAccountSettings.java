package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Enables or disables the account's minimum throughput billing commitment (one year at least).
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateAccountSettings.html">UpdateAccountSettings</a>
 */
public final class UpdateAccountSettings
        extends KinesisOperation<UpdateAccountSettings.Request, UpdateAccountSettings.Response> {

    public record CommitmentInput(String status) {
    }

    public record Request(CommitmentInput minimumThroughputBillingCommitment) {
    }

    public record Response(AccountSettings.Commitment minimumThroughputBillingCommitment) {
    }

    private final AccountSettings settings;

    public UpdateAccountSettings(KinesisBackend kinesis, AccountSettings settings) {
        super(kinesis, Request.class);
        this.settings = settings;
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        return new Response(settings.update(ctx, in.minimumThroughputBillingCommitment().status(),
                AccountSettings.now(kinesis)));
    }
}
