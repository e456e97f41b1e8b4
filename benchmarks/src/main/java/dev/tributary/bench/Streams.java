package dev.tributary.bench;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.kinesis.model.CreateStreamRequest;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** Stream setup shared by the scenarios: create when missing, wait for ACTIVE, list shards. */
final class Streams {
    private Streams() {
    }

    static void ensureActive(Kinesis kinesis, String stream, int shards) throws InterruptedException {
        try {
            kinesis.createStream(CreateStreamRequest.builder().streamName(stream).shardCount(shards).build());
        } catch (ResourceInUseException alreadyThere) {
            // Reuse it: drain after putrecords in a second invocation relies on that.
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            StreamStatus status = kinesis.describeStreamSummary(DescribeStreamSummaryRequest.builder().streamName(stream).build())
                    .streamDescriptionSummary().streamStatus();
            if (status == StreamStatus.ACTIVE) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("stream " + stream + " not ACTIVE after 60 s");
    }

    /** Every shard of the stream (at most 100 pages). */
    static List<Shard> shards(Kinesis kinesis, String stream) {
        List<Shard> all = new ArrayList<>();
        ListShardsResponse page = kinesis.listShards(ListShardsRequest.builder().streamName(stream).build());
        all.addAll(page.shards());
        for (int i = 0; i < 100 && page.nextToken() != null; i++) {
            String token = page.nextToken();
            page = kinesis.listShards(ListShardsRequest.builder().nextToken(token).build());
            all.addAll(page.shards());
        }
        return all;
    }
}
