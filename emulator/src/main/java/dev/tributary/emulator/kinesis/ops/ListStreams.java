package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.KinesisError;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.kinesis.shapes.KinesisShapes.StreamModeDetails;
import dev.tributary.emulator.kinesis.shapes.KinesisShapes.StreamSummary;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Lists the streams of the caller's account and region in name order: at most {@code Limit}
 * (default 100) after {@code ExclusiveStartStreamName} or the position a {@code NextToken} holds.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListStreams.html">ListStreams</a>
 */
public final class ListStreams extends KinesisOperation<ListStreams.Request, ListStreams.Response> {
    static final int DEFAULT_LIMIT = 100;
    private static final String TOKEN_PREFIX = "ListStreams:";

    public record Request(Integer limit, String exclusiveStartStreamName, String nextToken) {
    }

    public record Response(List<String> streamNames, Boolean hasMoreStreams, String nextToken,
                           List<StreamSummary> streamSummaries) {
    }

    public ListStreams(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        int limit = in.limit() == null ? DEFAULT_LIMIT : Math.min(in.limit(), DEFAULT_LIMIT);
        String after = in.exclusiveStartStreamName();
        if (in.nextToken() != null) {
            after = decodeToken(in.nextToken());
        }
        List<String> names = new ArrayList<>();
        List<StreamSummary> summaries = new ArrayList<>();
        boolean more = false;
        for (StreamInfo info : kinesis.streams(ctx.account(), ctx.region())) {
            StreamRef ref = StreamRef.ofStoreKey(info.name());
            if (after != null && ref.name().compareTo(after) <= 0) {
                continue;
            }
            if (names.size() == limit) {
                more = true;
                break;
            }
            names.add(ref.name());
            summaries.add(new StreamSummary(ref.name(), ref.arn(), KinesisBackend.status(info),
                    new StreamModeDetails(KinesisBackend.streamMode(info)), info.createdAt()));
        }
        String token = more ? encodeToken(names.get(names.size() - 1)) : null;
        return new Response(names, more, token, summaries);
    }

    private static String encodeToken(String lastName) {
        return Base64.getEncoder().encodeToString((TOKEN_PREFIX + lastName).getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            String s = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            if (s.startsWith(TOKEN_PREFIX)) {
                return s.substring(TOKEN_PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw new AwsException(KinesisError.INVALID_ARGUMENT, "Invalid NextToken.");
    }
}
