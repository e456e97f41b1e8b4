package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.channels.Channels;
import dev.tributary.emulator.protocol.RequestContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Lists the caller's channels in name order (at most 100 a page), optionally only those reading
 * given streams.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListChannels.html">ListChannels</a>
 */
public final class ListChannels extends KinesisOperation<ListChannels.Request, ListChannels.Response> {
    static final int MAX_RESULTS = 100;

    public record StreamFilter(String streamARN, Instant streamCreationTimestamp) {
    }

    public record Request(List<StreamFilter> streamFilter, Integer maxResults, String nextToken) {
    }

    public record Response(List<ChannelShapes.ChannelSummary> channelSummaries, String nextToken) {
    }

    private final Channels channels;

    public ListChannels(KinesisBackend kinesis, Channels channels) {
        super(kinesis, Request.class);
        this.channels = channels;
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        int max = Math.min(in.maxResults() == null ? MAX_RESULTS : in.maxResults(), MAX_RESULTS);
        String after = null;
        if (in.nextToken() != null) {
            try {
                after = new String(Base64.getDecoder().decode(in.nextToken()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw KinesisBackend.invalidArgument("Invalid NextToken.");
            }
        }
        long now = kinesis.nowMillis();
        List<ChannelShapes.ChannelSummary> page = new ArrayList<>();
        boolean more = false;
        for (Channels.Channel c : channels.list(ctx.account(), ctx.region())) {
            if (after != null && c.name().compareTo(after) <= 0) {
                continue;
            }
            if (in.streamFilter() != null && c.streams().stream().noneMatch(s -> in.streamFilter().stream()
                    .anyMatch(f -> f.streamARN().equals(s.streamARN())))) {
                continue;
            }
            if (page.size() == max) {
                more = true;
                break;
            }
            page.add(ChannelShapes.summary(c, now));
        }
        String token = more ? Base64.getEncoder().encodeToString(
                page.get(page.size() - 1).channelName().getBytes(StandardCharsets.UTF_8)) : null;
        return new Response(page, token);
    }
}
