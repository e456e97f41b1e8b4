package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.KinesisError;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Lists a stream's consumers in name order, {@code MaxResults} (default 100) at a time.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListStreamConsumers.html">ListStreamConsumers</a>
 */
public final class ListStreamConsumers
        extends KinesisOperation<ListStreamConsumers.Request, ListStreamConsumers.Response> {
    static final int DEFAULT_MAX_RESULTS = 100;

    public record Request(String streamARN, String nextToken, Integer maxResults, Instant streamCreationTimestamp,
                          String streamId) {
    }

    public record Response(List<Consumers.ConsumerSummary> consumers, String nextToken) {
    }

    public ListStreamConsumers(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        StreamRef ref = kinesis.ref(ctx, null, in.streamARN());
        StreamInfo info = kinesis.get(ref);
        String after = null;
        if (in.nextToken() != null) {
            try {
                after = new String(Base64.getDecoder().decode(in.nextToken()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new AwsException(KinesisError.INVALID_ARGUMENT, "Invalid NextToken.");
            }
        }
        int max = in.maxResults() == null ? DEFAULT_MAX_RESULTS : in.maxResults();
        long now = kinesis.nowMillis();
        List<Consumers.ConsumerSummary> page = new ArrayList<>();
        boolean more = false;
        for (Consumers.Consumer c : Consumers.of(info, now)) {
            if (after != null && c.name().compareTo(after) <= 0) {
                continue;
            }
            if (page.size() == max) {
                more = true;
                break;
            }
            page.add(new Consumers.ConsumerSummary(c.name(), c.arn(ref), c.statusAt(now),
                    KinesisBackend.instant(c.createdMillis())));
        }
        String token = more ? Base64.getEncoder().encodeToString(
                page.get(page.size() - 1).consumerName().getBytes(StandardCharsets.UTF_8)) : null;
        return new Response(page, token);
    }
}
