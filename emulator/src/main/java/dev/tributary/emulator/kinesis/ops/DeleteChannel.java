package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.channels.Channels;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Deletes a channel: DELETING for the configured delay, then gone.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DeleteChannel.html">DeleteChannel</a>
 */
public final class DeleteChannel extends KinesisOperation<DeleteChannel.Request, Void> {

    public record Request(String channelARN) {
    }

    private final Channels channels;

    public DeleteChannel(KinesisBackend kinesis, Channels channels) {
        super(kinesis, Request.class);
        this.channels = channels;
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        channels.delete(in.channelARN());
        return null;
    }
}
