package dev.tributary.emulator.analytics.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.analytics.AnalyticsBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Adds or replaces tags (at most 50: TooManyTagsException).
 *
 * @see <a href="https://docs.aws.amazon.com/kinesisanalytics/latest/dev/API_TagResource.html">TagResource</a>
 */
public final class TagResource extends AnalyticsOperation {
    public TagResource(AnalyticsBackend analytics) {
        super(analytics);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        analytics.tag(text(in, "ResourceARN"), in.path("Tags"));
        return null;
    }
}
