package dev.tributary.emulator.kinesis;

import dev.tributary.emulator.kinesis.ops.AccountSettings;
import dev.tributary.emulator.kinesis.ops.AddTagsToStream;
import dev.tributary.emulator.kinesis.ops.CreateChannel;
import dev.tributary.emulator.kinesis.ops.DescribeChannel;
import dev.tributary.emulator.kinesis.ops.UpdateChannel;
import dev.tributary.emulator.kinesis.ops.DeleteChannel;
import dev.tributary.emulator.kinesis.ops.ListChannels;
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
import dev.tributary.emulator.kinesis.ops.SubscribeToShard;
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
import dev.tributary.emulator.protocol.ValidationOrder;
import java.util.Map;
import java.util.List;

/** Kinesis Data Streams: the model and the operations implemented so far. */
public final class KinesisService {
    public static final String MODEL = "/aws-models/kinesis-2013-12-02.service-2.json";

    /**
     * The order in which AWS reports Kinesis validation errors, where it differs from the model's
     * member order. Proven by full-message captures for PutRecord(s), CreateStream, GetRecords and
     * ListStreams; the rest as captured in sets (docs/research/kinesis-error-texts.md, 3.5).
     */
    public static final ValidationOrder VALIDATION_ORDER = new ValidationOrder(Map.ofEntries(
            Map.entry("PutRecordInput", List.of("SequenceNumberForOrdering", "PartitionKey", "ExplicitHashKey", "Data",
                    "StreamName")),
            Map.entry("PutRecordsInput", List.of("Records", "StreamName")),
            Map.entry("PutRecordsRequestEntry", List.of("PartitionKey", "ExplicitHashKey", "Data")),
            Map.entry("CreateStreamInput", List.of("ShardCount", "StreamName")),
            Map.entry("GetRecordsInput", List.of("Limit", "ShardIterator")),
            Map.entry("ListStreamsInput", List.of("Limit", "ExclusiveStartStreamName")),
            Map.entry("GetShardIteratorInput", List.of("ShardId", "ShardIteratorType", "StartingSequenceNumber",
                    "StreamName", "Timestamp")),
            Map.entry("SplitShardInput", List.of("NewStartingHashKey", "StreamName", "ShardToSplit")),
            Map.entry("MergeShardsInput", List.of("ShardToMerge", "AdjacentShardToMerge", "StreamName")),
            Map.entry("UpdateShardCountInput", List.of("ScalingType", "StreamName", "TargetShardCount")),
            Map.entry("ListShardsInput", List.of("MaxResults", "ExclusiveStartShardId", "StreamName", "NextToken")),
            Map.entry("DescribeStreamInput", List.of("Limit", "ExclusiveStartShardId", "StreamName"))),
            Map.of("ShardIteratorType", List.of("AFTER_SEQUENCE_NUMBER", "LATEST", "AT_TIMESTAMP", "AT_SEQUENCE_NUMBER",
                    "TRIM_HORIZON")));

    private KinesisService() {
    }

    public static AwsJsonService create(KinesisBackend kinesis, ServiceModel model) {
        AccountSettings accountSettings = new AccountSettings();
        dev.tributary.emulator.kinesis.channels.Channels channels = kinesis.channels();
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
                new SubscribeToShard(kinesis, kinesis.fanOut(), new dev.tributary.emulator.protocol.AwsMappers()),
                new CreateChannel(kinesis, channels),
                new DescribeChannel(kinesis, channels),
                new UpdateChannel(kinesis, channels),
                new DeleteChannel(kinesis, channels),
                new ListChannels(kinesis, channels),
                new DescribeAccountSettings(kinesis, accountSettings),
                new UpdateAccountSettings(kinesis, accountSettings)), VALIDATION_ORDER);
    }
}
