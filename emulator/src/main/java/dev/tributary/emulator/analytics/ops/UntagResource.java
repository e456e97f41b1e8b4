package dev.tributary.emulator.analytics.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.analytics.AnalyticsBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Removes tags by key.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesisanalytics/latest/dev/API_UntagResource.html">UntagResource</a>
 */
public final class UntagResource extends AnalyticsOperation {
    public UntagResource(AnalyticsBackend analytics) {
        super(analytics);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        analytics.untag(text(in, "ResourceARN"), in.path("TagKeys"));
        return null;
    }
}
