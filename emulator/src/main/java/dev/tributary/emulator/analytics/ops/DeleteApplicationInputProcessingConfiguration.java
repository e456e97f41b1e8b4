package dev.tributary.emulator.analytics.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.analytics.AnalyticsBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Removes an input Lambda processor.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesisanalytics/latest/dev/API_DeleteApplicationInputProcessingConfiguration.html">DeleteApplicationInputProcessingConfiguration</a>
 */
public final class DeleteApplicationInputProcessingConfiguration extends AnalyticsOperation {
    public DeleteApplicationInputProcessingConfiguration(AnalyticsBackend analytics) {
        super(analytics);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        analytics.modify(ctx, text(in, "ApplicationName"), version(in), app -> analytics.setProcessing(app, text(in, "InputId"), null));
        return null;
    }
}
