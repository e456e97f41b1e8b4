package dev.tributary.emulator.analytics.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.analytics.AnalyticsBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Stops the application: RUNNING to STOPPING to READY on the clock; remembers the input positions.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesisanalytics/latest/dev/API_StopApplication.html">StopApplication</a>
 */
public final class StopApplication extends AnalyticsOperation {
    public StopApplication(AnalyticsBackend analytics) {
        super(analytics);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        analytics.stop(ctx, text(in, "ApplicationName"));
        return null;
    }
}
