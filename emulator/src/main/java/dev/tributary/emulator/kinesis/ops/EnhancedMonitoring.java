package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/** What Enable- and DisableEnhancedMonitoring share: the metric set, ALL's expansion, the response. */
final class EnhancedMonitoring {
    static final List<String> ALL_METRICS = List.of("IncomingBytes", "IncomingRecords", "OutgoingBytes",
            "OutgoingRecords", "WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded",
            "IteratorAgeMilliseconds");

    /** Both operations' response. */
    public record Response(String streamName, List<String> currentShardLevelMetrics,
                           List<String> desiredShardLevelMetrics, String streamARN) {
    }

    private EnhancedMonitoring() {
    }

    static Response change(KinesisBackend kinesis, RequestContext ctx, String streamName, String streamArn,
                           List<String> metrics, boolean enable) {
        StreamRef ref = kinesis.ref(ctx, streamName, streamArn);
        StreamInfo info = kinesis.getWritable(ref, false);
        TreeSet<String> current = current(info);
        TreeSet<String> desired = new TreeSet<>(current);
        List<String> given = metrics.contains("ALL") ? ALL_METRICS : metrics;
        if (enable) {
            desired.addAll(given);
        } else {
            given.forEach(desired::remove);
        }
        StreamSettings.update(kinesis, info, attrs -> attrs.put(KinesisBackend.METRICS, String.join(",", desired)));
        return new Response(ref.name(), new ArrayList<>(current), new ArrayList<>(desired), ref.arn());
    }

    static TreeSet<String> current(StreamInfo info) {
        String s = info.attributes().getOrDefault(KinesisBackend.METRICS, "");
        return s.isEmpty() ? new TreeSet<>() : new TreeSet<>(Arrays.asList(s.split(",")));
    }
}
