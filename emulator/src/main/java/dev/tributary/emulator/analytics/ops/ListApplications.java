package dev.tributary.emulator.analytics.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.analytics.AnalyticsBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Lists applications by name, up to Limit after ExclusiveStartApplicationName.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesisanalytics/latest/dev/API_ListApplications.html">ListApplications</a>
 */
public final class ListApplications extends AnalyticsOperation {
    public ListApplications(AnalyticsBackend analytics) {
        super(analytics);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        boolean[] more = new boolean[1];
        ObjectNode out = object();
        var page = analytics.list(ctx, in.hasNonNull("Limit") ? in.get("Limit").asInt() : null, text(in, "ExclusiveStartApplicationName"), more);
        out.putArray("ApplicationSummaries").addAll(page);
        out.put("HasMoreApplications", more[0]);
        return out;
    }
}
