package dev.tributary.emulator.kinesis;

import dev.tributary.emulator.kinesis.ops.AccountSettings;
import dev.tributary.emulator.kinesis.ops.AddTagsToStream;
import dev.tributary.emulator.kinesis.ops.CreateStream;
import dev.tributary.emulator.kinesis.ops.DecreaseStreamRetentionPeriod;
import dev.tributary.emulator.kinesis.ops.DeleteResourcePolicy;
import dev.tributary.emulator.kinesis.ops.DeleteStream;
import dev.tributary.emulator.kinesis.ops.DeregisterStreamConsumer;
import dev.tributary.emulator.kinesis.ops.DescribeAccountSettings;
import dev.tributary.emulator.kinesis.ops.DescribeLimits;
import dev.tributary.emulator.kinesis.ops.DescribeStream;
import dev.tributary.emulator.kinesis.ops.DescribeStreamConsumer;
import dev.tributary.emulator.kinesis.ops.DescribeStreamSummary;
import dev.tributary.emulator.kinesis.ops.DisableEnhancedMonitoring;
import dev.tributary.emulator.kinesis.ops.EnableEnhancedMonitoring;
import dev.tributary.emulator.kinesis.ops.GetRecords;
import dev.tributary.emulator.kinesis.ops.GetResourcePolicy;
import dev.tributary.emulator.kinesis.ops.GetShardIterator;
import dev.tributary.emulator.kinesis.ops.IncreaseStreamRetentionPeriod;
import dev.tributary.emulator.kinesis.ops.ListShards;
import dev.tributary.emulator.kinesis.ops.ListStreamConsumers;
import dev.tributary.emulator.kinesis.ops.ListStreams;
import dev.tributary.emulator.kinesis.ops.ListTagsForResource;
import dev.tributary.emulator.kinesis.ops.ListTagsForStream;
import dev.tributary.emulator.kinesis.ops.MergeShards;
import dev.tributary.emulator.kinesis.ops.PutRecord;
import dev.tributary.emulator.kinesis.ops.PutRecords;
import dev.tributary.emulator.kinesis.ops.PutResourcePolicy;
import dev.tributary.emulator.kinesis.ops.RegisterStreamConsumer;
import dev.tributary.emulator.kinesis.ops.RemoveTagsFromStream;
import dev.tributary.emulator.kinesis.ops.SplitShard;
import dev.tributary.emulator.kinesis.ops.StartStreamEncryption;
import dev.tributary.emulator.kinesis.ops.StopStreamEncryption;
import dev.tributary.emulator.kinesis.ops.TagResource;
import dev.tributary.emulator.kinesis.ops.UntagResource;
import dev.tributary.emulator.kinesis.ops.UpdateAccountSettings;
import dev.tributary.emulator.kinesis.ops.UpdateMaxRecordSize;
import dev.tributary.emulator.kinesis.ops.UpdateShardCount;
import dev.tributary.emulator.kinesis.ops.UpdateStreamMode;
import dev.tributary.emulator.kinesis.ops.UpdateStreamRecordDistributionStrategy;
import dev.tributary.emulator.kinesis.ops.UpdateStreamWarmThroughput;
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
        AccountSettings accountSettings = new AccountSettings();
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
                new UpdateShardCount(kinesis),
                new AddTagsToStream(kinesis),
                new RemoveTagsFromStream(kinesis),
                new ListTagsForStream(kinesis),
                new TagResource(kinesis),
                new UntagResource(kinesis),
                new ListTagsForResource(kinesis),
                new IncreaseStreamRetentionPeriod(kinesis),
                new DecreaseStreamRetentionPeriod(kinesis),
                new StartStreamEncryption(kinesis),
                new StopStreamEncryption(kinesis),
                new EnableEnhancedMonitoring(kinesis),
                new DisableEnhancedMonitoring(kinesis),
                new DescribeLimits(kinesis),
                new UpdateStreamMode(kinesis),
                new RegisterStreamConsumer(kinesis),
                new DeregisterStreamConsumer(kinesis),
                new DescribeStreamConsumer(kinesis),
                new ListStreamConsumers(kinesis),
                new PutResourcePolicy(kinesis),
                new GetResourcePolicy(kinesis),
                new DeleteResourcePolicy(kinesis),
                new UpdateMaxRecordSize(kinesis),
                new UpdateStreamWarmThroughput(kinesis),
                new UpdateStreamRecordDistributionStrategy(kinesis),
                new DescribeAccountSettings(kinesis, accountSettings),
                new UpdateAccountSettings(kinesis, accountSettings)));
    }
}
