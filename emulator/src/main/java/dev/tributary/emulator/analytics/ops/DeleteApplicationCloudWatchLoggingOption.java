package dev.tributary.emulator.analytics.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.analytics.AnalyticsBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Removes a CloudWatch logging option.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesisanalytics/latest/dev/API_DeleteApplicationCloudWatchLoggingOption.html">DeleteApplicationCloudWatchLoggingOption</a>
 */
public final class DeleteApplicationCloudWatchLoggingOption extends AnalyticsOperation {
    public DeleteApplicationCloudWatchLoggingOption(AnalyticsBackend analytics) {
        super(analytics);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        analytics.modify(ctx, text(in, "ApplicationName"), version(in), app -> analytics.remove(app, "CloudWatchLoggingOptionId", text(in, "CloudWatchLoggingOptionId")));
        return null;
    }
}
