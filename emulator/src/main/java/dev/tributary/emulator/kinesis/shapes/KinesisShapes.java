package dev.tributary.emulator.kinesis.shapes;

import java.time.Instant;
import java.util.List;

/**
 * Structures shared by several Kinesis operations, named as in the Kinesis API reference. Java
 * member names map to AWS's by upper-casing the first letter; absent (null) members are omitted.
 */
public final class KinesisShapes {
    private KinesisShapes() {
    }

    public record HashKeyRange(String startingHashKey, String endingHashKey) {
    }

    public record SequenceNumberRange(String startingSequenceNumber, String endingSequenceNumber) {
    }

    public record Shard(String shardId, String parentShardId, String adjacentParentShardId,
                        HashKeyRange hashKeyRange, SequenceNumberRange sequenceNumberRange) {
    }

    public record ChildShard(String shardId, List<String> parentShards, HashKeyRange hashKeyRange) {
    }

    public record StreamModeDetails(String streamMode) {
    }

    public record EnhancedMetrics(List<String> shardLevelMetrics) {
    }

    public record ShardFilter(String type, String shardId, Instant timestamp) {
    }

    public record Tag(String key, String value) {
    }

    public record StreamSummary(String streamName, String streamARN, String streamStatus,
                                StreamModeDetails streamModeDetails, Instant streamCreationTimestamp) {
    }

    public record Record(String sequenceNumber, Instant approximateArrivalTimestamp, byte[] data,
                         String partitionKey, String encryptionType) {
    }
}
