package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.KinesisError;
import dev.tributary.emulator.kinesis.ShardIds;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.kinesis.shapes.KinesisShapes.Shard;
import dev.tributary.emulator.kinesis.shapes.KinesisShapes.ShardFilter;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.StreamInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Lists a stream's shards in index order, a page at a time ({@code MaxResults}, default 1000,
 * up to 10000), optionally filtered:
 * <ul>
 *   <li>{@code AFTER_SHARD_ID}: shards after the given id;</li>
 *   <li>{@code AT_TRIM_HORIZON}: shards open at the trim horizon (now minus retention, or the
 *       stream's creation if later); {@code FROM_TRIM_HORIZON}: those and every shard since;</li>
 *   <li>{@code AT_LATEST}: the open shards;</li>
 *   <li>{@code AT_TIMESTAMP}: shards open at the timestamp; {@code FROM_TIMESTAMP}: those and
 *       every shard since.</li>
 * </ul>
 * A {@code NextToken} carries the stream, the position and the filter, and expires after 300 s.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListShards.html">ListShards</a>
 */
public final class ListShards extends KinesisOperation<ListShards.Request, ListShards.Response> {
    static final int DEFAULT_MAX_RESULTS = 1000;
    static final long TOKEN_LIFETIME_MILLIS = 300_000;

    public record Request(String streamName, String nextToken, String exclusiveStartShardId, Integer maxResults,
                          Instant streamCreationTimestamp, ShardFilter shardFilter, String streamARN,
                          String streamId) {
    }

    public record Response(List<Shard> shards, String nextToken) {
    }

    /** What a NextToken holds. */
    record Token(long issuedAt, String storeKey, long streamId, int afterIndex, String filterType,
                 int filterShard, long filterTimestamp) {
        String encode() {
            byte[] key = storeKey.getBytes(StandardCharsets.UTF_8);
            byte[] type = filterType == null ? new byte[0] : filterType.getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + 4 + 4 + 8 + 4 + type.length + key.length);
            b.put((byte) 1).putLong(issuedAt).putLong(streamId).putInt(afterIndex).putInt(filterShard)
                    .putLong(filterTimestamp).putInt(type.length).put(type).put(key);
            return Base64.getEncoder().encodeToString(b.array());
        }

        static Token decode(String token) {
            try {
                ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(token));
                if (b.get() != 1) {
                    return null;
                }
                long issued = b.getLong();
                long streamId = b.getLong();
                int after = b.getInt();
                int filterShard = b.getInt();
                long filterTs = b.getLong();
                int typeLen = b.getInt();
                if (typeLen < 0 || typeLen > b.remaining()) {
                    return null;
                }
                byte[] type = new byte[typeLen];
                b.get(type);
                byte[] key = new byte[b.remaining()];
                b.get(key);
                return new Token(issued, new String(key, StandardCharsets.UTF_8), streamId, after,
                        typeLen == 0 ? null : new String(type, StandardCharsets.UTF_8), filterShard, filterTs);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    public ListShards(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        int max = in.maxResults() == null ? DEFAULT_MAX_RESULTS : in.maxResults();
        StreamRef ref;
        StreamInfo info;
        int after;
        String filterType;
        int filterShard;
        long filterTs;
        if (in.nextToken() != null) {
            if (in.streamName() != null) {
                throw new AwsException(KinesisError.INVALID_ARGUMENT,
                        "NextToken and StreamName cannot be provided together.");
            }
            Token token = Token.decode(in.nextToken());
            if (token == null || StreamRef.ofStoreKey(token.storeKey()) == null) {
                throw new AwsException(KinesisError.INVALID_ARGUMENT, "Invalid NextToken.");
            }
            if (kinesis.nowMillis() - token.issuedAt() > TOKEN_LIFETIME_MILLIS) {
                throw new AwsException(KinesisError.EXPIRED_NEXT_TOKEN, "The NextToken has expired.");
            }
            ref = StreamRef.ofStoreKey(token.storeKey());
            info = kinesis.get(ref);
            if (info.id() != token.streamId()) {
                throw KinesisBackend.streamNotFound(ref);
            }
            after = token.afterIndex();
            filterType = token.filterType();
            filterShard = token.filterShard();
            filterTs = token.filterTimestamp();
        } else {
            ref = kinesis.ref(ctx, in.streamName(), in.streamARN());
            info = kinesis.get(ref);
            after = -1;
            if (in.exclusiveStartShardId() != null) {
                after = Math.max(after, ShardIds.parse(in.exclusiveStartShardId()));
            }
            ShardFilter f = in.shardFilter();
            filterType = f == null ? null : f.type();
            filterShard = -1;
            filterTs = 0;
            if (f != null) {
                validateFilter(f);
                if (f.shardId() != null) {
                    filterShard = ShardIds.parse(f.shardId());
                }
                if (f.timestamp() != null) {
                    filterTs = f.timestamp().toEpochMilli();
                }
            }
        }
        long horizon = Math.max(kinesis.nowMillis() - info.retention().toMillis(), info.createdAt().toEpochMilli());
        List<Shard> shards = new ArrayList<>();
        int lastIndex = after;
        boolean more = false;
        for (ShardInfo s : kinesis.visibleShards(info)) {
            if (s.index() <= after || !matches(s, filterType, filterShard, filterTs, horizon)) {
                continue;
            }
            if (shards.size() == max) {
                more = true;
                break;
            }
            shards.add(kinesis.toShape(s));
            lastIndex = s.index();
        }
        String next = more ? new Token(kinesis.nowMillis(), ref.storeKey(), info.id(), lastIndex, filterType,
                filterShard, filterTs).encode() : null;
        return new Response(shards, next);
    }

    private static void validateFilter(ShardFilter f) {
        switch (f.type()) {
            case "AFTER_SHARD_ID" -> {
                if (f.shardId() == null) {
                    throw new AwsException(KinesisError.INVALID_ARGUMENT,
                            "Must specify ShardId in ShardFilter when ShardFilterType is AFTER_SHARD_ID.");
                }
            }
            case "AT_TIMESTAMP", "FROM_TIMESTAMP" -> {
                if (f.timestamp() == null) {
                    throw new AwsException(KinesisError.INVALID_ARGUMENT,
                            "Must specify timestamp in ShardFilter when ShardFilterType is " + f.type() + ".");
                }
            }
            default -> {
            }
        }
    }

    private static boolean matches(ShardInfo s, String type, int filterShard, long ts, long horizon) {
        if (type == null) {
            return true;
        }
        long created = s.createdAt().toEpochMilli();
        long closed = s.isOpen() ? Long.MAX_VALUE : s.closedAt().toEpochMilli();
        return switch (type) {
            case "AFTER_SHARD_ID" -> s.index() > filterShard;
            case "AT_TRIM_HORIZON" -> created <= horizon && closed > horizon;
            case "FROM_TRIM_HORIZON" -> closed > horizon;
            case "AT_LATEST" -> s.isOpen();
            case "AT_TIMESTAMP" -> created <= ts && closed > ts;
            case "FROM_TIMESTAMP" -> closed > ts;
            default -> true;
        };
    }
}
