package dev.tributary.emulator.firehose;

import dev.tributary.emulator.firehose.ops.CreateDeliveryStream;
import dev.tributary.emulator.firehose.ops.DeleteDeliveryStream;
import dev.tributary.emulator.firehose.ops.DescribeDeliveryStream;
import dev.tributary.emulator.firehose.ops.ListDeliveryStreams;
import dev.tributary.emulator.firehose.ops.ListTagsForDeliveryStream;
import dev.tributary.emulator.firehose.ops.PutRecord;
import dev.tributary.emulator.firehose.ops.PutRecordBatch;
import dev.tributary.emulator.firehose.ops.StartDeliveryStreamEncryption;
import dev.tributary.emulator.firehose.ops.StopDeliveryStreamEncryption;
import dev.tributary.emulator.firehose.ops.TagDeliveryStream;
import dev.tributary.emulator.firehose.ops.UntagDeliveryStream;
import dev.tributary.emulator.firehose.ops.UpdateDestination;
import dev.tributary.emulator.protocol.AwsJsonService;
import dev.tributary.emulator.protocol.ServiceModel;
import java.util.List;

/** Amazon Data Firehose: the model and its 12 operations. */
public final class FirehoseService {
    public static final String MODEL = "/aws-models/firehose-2015-08-04.service-2.json";

    private FirehoseService() {
    }

    public static AwsJsonService create(FirehoseBackend firehose) {
        // Tributary delivers to local endpoints too: http:// as well as https:// (AWS: https on port 443 only).
        return create(firehose, ServiceModel.load(MODEL, root -> ((com.fasterxml.jackson.databind.node.ObjectNode)
                root.path("shapes").path("HttpEndpointUrl")).put("pattern", "https?://.*")));
    }

    public static AwsJsonService create(FirehoseBackend firehose, ServiceModel model) {
        return new AwsJsonService("firehose", model, List.of(
                new CreateDeliveryStream(firehose),
                new DeleteDeliveryStream(firehose),
                new DescribeDeliveryStream(firehose),
                new ListDeliveryStreams(firehose),
                new PutRecord(firehose),
                new PutRecordBatch(firehose),
                new UpdateDestination(firehose),
                new TagDeliveryStream(firehose),
                new UntagDeliveryStream(firehose),
                new ListTagsForDeliveryStream(firehose),
                new StartDeliveryStreamEncryption(firehose),
                new StopDeliveryStreamEncryption(firehose)));
    }
}
