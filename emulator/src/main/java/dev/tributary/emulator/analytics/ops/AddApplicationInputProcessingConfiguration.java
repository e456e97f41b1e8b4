package dev.tributary.emulator.analytics.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.analytics.AnalyticsBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Records an input Lambda processor (stored and described; records are not sent to a Lambda).
 *
 * @see <a href="https://docs.aws.amazon.com/kinesisanalytics/latest/dev/API_AddApplicationInputProcessingConfiguration.html">AddApplicationInputProcessingConfiguration</a>
 */
public final class AddApplicationInputProcessingConfiguration extends AnalyticsOperation {
    public AddApplicationInputProcessingConfiguration(AnalyticsBackend analytics) {
        super(analytics);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        analytics.modify(ctx, text(in, "ApplicationName"), version(in), app -> analytics.setProcessing(app, text(in, "InputId"), in.get("InputProcessingConfiguration")));
        return null;
    }
}
