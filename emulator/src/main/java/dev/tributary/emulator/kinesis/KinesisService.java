package dev.tributary.emulator.kinesis;

import dev.tributary.emulator.kinesis.ops.CreateStream;
import dev.tributary.emulator.kinesis.ops.DeleteStream;
import dev.tributary.emulator.kinesis.ops.DescribeStream;
import dev.tributary.emulator.kinesis.ops.DescribeStreamSummary;
import dev.tributary.emulator.kinesis.ops.GetRecords;
import dev.tributary.emulator.kinesis.ops.GetShardIterator;
import dev.tributary.emulator.kinesis.ops.ListShards;
import dev.tributary.emulator.kinesis.ops.ListStreams;
import dev.tributary.emulator.kinesis.ops.MergeShards;
import dev.tributary.emulator.kinesis.ops.PutRecord;
import dev.tributary.emulator.kinesis.ops.PutRecords;
import dev.tributary.emulator.kinesis.ops.SplitShard;
import dev.tributary.emulator.kinesis.ops.UpdateShardCount;
import dev.tributary.emulator.protocol.AwsJsonService;
import dev.tributary.emulator.protocol.ServiceModel;
import java.util.List;

/** Kinesis Data Streams: the model and the operations implemented so far. */
public final class KinesisService {
    public static final String MODEL = "/aws-models/kinesis-2013-12-02.service-2.json";

    private KinesisService() {
    }

    public static AwsJsonService create(KinesisBackend kinesis) {
        return create(kinesis, ServiceModel.load(MODEL));
    }

    public static AwsJsonService create(KinesisBackend kinesis, ServiceModel model) {
        return new AwsJsonService("kinesis", model, List.of(
                new CreateStream(kinesis),
                new DeleteStream(kinesis),
                new DescribeStream(kinesis),
                new DescribeStreamSummary(kinesis),
                new ListStreams(kinesis),
                new ListShards(kinesis),
                new PutRecord(kinesis),
                new PutRecords(kinesis),
                new GetShardIterator(kinesis),
                new GetRecords(kinesis),
                new SplitShard(kinesis),
                new MergeShards(kinesis),
                new UpdateShardCount(kinesis)));
    }
}
