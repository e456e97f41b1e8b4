package dev.tributary.emulator.analytics.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.analytics.AnalyticsBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Adds a destination (at most three).
 *
 * @see <a href="https://docs.aws.amazon.com/kinesisanalytics/latest/dev/API_AddApplicationOutput.html">AddApplicationOutput</a>
 */
public final class AddApplicationOutput extends AnalyticsOperation {
    public AddApplicationOutput(AnalyticsBackend analytics) {
        super(analytics);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        analytics.modify(ctx, text(in, "ApplicationName"), version(in), app -> analytics.addOutput(app, in.get("Output")));
        return null;
    }
}
