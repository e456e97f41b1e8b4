package dev.tributary.emulator.analytics.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.analytics.AnalyticsBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Removes the reference table by ReferenceId.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesisanalytics/latest/dev/API_DeleteApplicationReferenceDataSource.html">DeleteApplicationReferenceDataSource</a>
 */
public final class DeleteApplicationReferenceDataSource extends AnalyticsOperation {
    public DeleteApplicationReferenceDataSource(AnalyticsBackend analytics) {
        super(analytics);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        analytics.modify(ctx, text(in, "ApplicationName"), version(in), app -> analytics.remove(app, "ReferenceId", text(in, "ReferenceId")));
        return null;
    }
}
