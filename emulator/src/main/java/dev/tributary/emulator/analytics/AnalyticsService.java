package dev.tributary.emulator.analytics;

import dev.tributary.emulator.analytics.ops.*;
import dev.tributary.emulator.protocol.AwsJsonService;
import dev.tributary.emulator.protocol.ServiceModel;
import java.util.List;

/** Amazon Kinesis Data Analytics for SQL applications (v1): the model and its 20 operations. */
public final class AnalyticsService {
    public static final String MODEL = "/aws-models/kinesisanalytics-2015-08-14.service-2.json";

    private AnalyticsService() {
    }

    public static AwsJsonService create(AnalyticsBackend analytics) {
        return new AwsJsonService("kinesisanalytics", ServiceModel.load(MODEL), List.of(
                new CreateApplication(analytics),
                new DescribeApplication(analytics),
                new ListApplications(analytics),
                new UpdateApplication(analytics),
                new DeleteApplication(analytics),
                new StartApplication(analytics),
                new StopApplication(analytics),
                new AddApplicationInput(analytics),
                new AddApplicationOutput(analytics),
                new AddApplicationReferenceDataSource(analytics),
                new AddApplicationCloudWatchLoggingOption(analytics),
                new AddApplicationInputProcessingConfiguration(analytics),
                new DeleteApplicationInputProcessingConfiguration(analytics),
                new DeleteApplicationOutput(analytics),
                new DeleteApplicationReferenceDataSource(analytics),
                new DeleteApplicationCloudWatchLoggingOption(analytics),
                new TagResource(analytics),
                new UntagResource(analytics),
                new ListTagsForResource(analytics),
                new DiscoverInputSchema(analytics)));
    }
}
