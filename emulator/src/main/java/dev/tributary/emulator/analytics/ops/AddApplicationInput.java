package dev.tributary.emulator.analytics.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.analytics.AnalyticsBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Adds the streaming source (one per SQL application).
 *
 * @see <a href="https://docs.aws.amazon.com/kinesisanalytics/latest/dev/API_AddApplicationInput.html">AddApplicationInput</a>
 */
public final class AddApplicationInput extends AnalyticsOperation {
    public AddApplicationInput(AnalyticsBackend analytics) {
        super(analytics);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        analytics.modify(ctx, text(in, "ApplicationName"), version(in), app -> analytics.addInput(app, in.get("Input")));
        return null;
    }
}
