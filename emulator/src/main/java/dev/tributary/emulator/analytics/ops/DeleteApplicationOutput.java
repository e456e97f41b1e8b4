package dev.tributary.emulator.analytics.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.analytics.AnalyticsBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Removes a destination by OutputId.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesisanalytics/latest/dev/API_DeleteApplicationOutput.html">DeleteApplicationOutput</a>
 */
public final class DeleteApplicationOutput extends AnalyticsOperation {
    public DeleteApplicationOutput(AnalyticsBackend analytics) {
        super(analytics);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        analytics.modify(ctx, text(in, "ApplicationName"), version(in), app -> analytics.remove(app, "OutputId", text(in, "OutputId")));
        return null;
    }
}
