package dev.tributary.emulator.analytics.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.analytics.AnalyticsBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Deletes an application (stopping it first); CreateTimestamp must match.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesisanalytics/latest/dev/API_DeleteApplication.html">DeleteApplication</a>
 */
public final class DeleteApplication extends AnalyticsOperation {
    public DeleteApplication(AnalyticsBackend analytics) {
        super(analytics);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        analytics.delete(ctx, text(in, "ApplicationName"), in.hasNonNull("CreateTimestamp") ? in.get("CreateTimestamp").decimalValue() : null);
        return null;
    }
}
