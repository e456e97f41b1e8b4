package dev.tributary.emulator.analytics.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.analytics.AnalyticsBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Changes code, inputs, outputs, reference data or logging at the current version (else ConcurrentModificationException).
 *
 * @see <a href="https://docs.aws.amazon.com/kinesisanalytics/latest/dev/API_UpdateApplication.html">UpdateApplication</a>
 */
public final class UpdateApplication extends AnalyticsOperation {
    public UpdateApplication(AnalyticsBackend analytics) {
        super(analytics);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        analytics.update(ctx, text(in, "ApplicationName"), version(in), in.path("ApplicationUpdate"));
        return null;
    }
}
