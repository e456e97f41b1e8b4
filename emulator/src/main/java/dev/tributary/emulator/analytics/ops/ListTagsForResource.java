package dev.tributary.emulator.analytics.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.analytics.AnalyticsBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Lists an application's tags.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesisanalytics/latest/dev/API_ListTagsForResource.html">ListTagsForResource</a>
 */
public final class ListTagsForResource extends AnalyticsOperation {
    public ListTagsForResource(AnalyticsBackend analytics) {
        super(analytics);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        ObjectNode out = object();
        out.set("Tags", analytics.tags(text(in, "ResourceARN")));
        return out;
    }
}
