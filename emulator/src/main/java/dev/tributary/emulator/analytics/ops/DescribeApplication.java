package dev.tributary.emulator.analytics.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.analytics.AnalyticsBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Describes an application: status, version, code, inputs, outputs, reference data, logging options.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesisanalytics/latest/dev/API_DescribeApplication.html">DescribeApplication</a>
 */
public final class DescribeApplication extends AnalyticsOperation {
    public DescribeApplication(AnalyticsBackend analytics) {
        super(analytics);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        ObjectNode out = object();
        out.set("ApplicationDetail", analytics.describe(ctx, text(in, "ApplicationName")));
        return out;
    }
}
