package dev.tributary.emulator.analytics.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.analytics.AnalyticsBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Records a CloudWatch logging option (the emulator logs to its own log).
 *
 * @see <a href="https://docs.aws.amazon.com/kinesisanalytics/latest/dev/API_AddApplicationCloudWatchLoggingOption.html">AddApplicationCloudWatchLoggingOption</a>
 */
public final class AddApplicationCloudWatchLoggingOption extends AnalyticsOperation {
    public AddApplicationCloudWatchLoggingOption(AnalyticsBackend analytics) {
        super(analytics);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        analytics.modify(ctx, text(in, "ApplicationName"), version(in), app -> analytics.addLogging(app, in.get("CloudWatchLoggingOption")));
        return null;
    }
}
