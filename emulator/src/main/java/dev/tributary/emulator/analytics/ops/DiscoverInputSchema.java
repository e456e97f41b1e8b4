package dev.tributary.emulator.analytics.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.analytics.AnalyticsBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Infers a JSON schema from records of a Kinesis stream or from an S3 object of the emulator.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesisanalytics/latest/dev/API_DiscoverInputSchema.html">DiscoverInputSchema</a>
 */
public final class DiscoverInputSchema extends AnalyticsOperation {
    public DiscoverInputSchema(AnalyticsBackend analytics) {
        super(analytics);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        return analytics.discover(in);
    }
}
