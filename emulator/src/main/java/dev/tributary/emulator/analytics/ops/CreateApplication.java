package dev.tributary.emulator.analytics.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.analytics.AnalyticsBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Creates an application in READY state; its code is validated against its input (CodeValidationException).
 *
 * @see <a href="https://docs.aws.amazon.com/kinesisanalytics/latest/dev/API_CreateApplication.html">CreateApplication</a>
 */
public final class CreateApplication extends AnalyticsOperation {
    public CreateApplication(AnalyticsBackend analytics) {
        super(analytics);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        ObjectNode out = object();
        out.set("ApplicationSummary", analytics.create(ctx, in));
        return out;
    }
}
