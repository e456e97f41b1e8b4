package dev.tributary.emulator.analytics.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.analytics.AnalyticsBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Starts reading the input at the requested position: READY to STARTING to RUNNING on the clock.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesisanalytics/latest/dev/API_StartApplication.html">StartApplication</a>
 */
public final class StartApplication extends AnalyticsOperation {
    public StartApplication(AnalyticsBackend analytics) {
        super(analytics);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        analytics.start(ctx, text(in, "ApplicationName"), in.path("InputConfigurations"));
        return null;
    }
}
