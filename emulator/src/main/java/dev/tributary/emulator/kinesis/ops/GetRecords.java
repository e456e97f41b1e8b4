package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.KinesisError;
import dev.tributary.emulator.kinesis.SequenceNumbers;
import dev.tributary.emulator.kinesis.ShardIds;
import dev.tributary.emulator.kinesis.ShardIterators;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.kinesis.shapes.KinesisShapes.ChildShard;
import dev.tributary.emulator.kinesis.shapes.KinesisShapes.Record;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.OffsetOutOfRangeException;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.ShardLog;
import dev.tributary.store.api.StoredRecord;
import dev.tributary.store.api.StreamInfo;
import dev.tributary.store.api.StreamNotFoundException;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TimeZone;

/**
 * Reads records from an iterator's position: at most {@code Limit} (default 10,000) records and
 * 10 MiB. Every answer carries a fresh {@code NextShardIterator}, except at the end of a closed
 * shard, where it is absent and {@code ChildShards} names the children to read next (the KCL
 * relies on this).
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetRecords.html">GetRecords</a>
 */
public final class GetRecords extends KinesisOperation<GetRecords.Request, GetRecords.Response> {
    static final int DEFAULT_LIMIT = 10_000;
    static final long MAX_BYTES = 10L * 1024 * 1024;
    static final long ITERATOR_LIFETIME_MILLIS = 300_000;

    public record Request(String shardIterator, Integer limit, String streamARN, String streamId, Boolean dryRun) {
    }

    public record Response(List<Record> records, String nextShardIterator, Long millisBehindLatest,
                           List<ChildShard> childShards) {
    }

    public GetRecords(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        ShardIterators.Decoded it = ShardIterators.decode(in.shardIterator());
        StreamRef ref = it == null ? null : StreamRef.ofStoreKey(it.storeKey());
        if (ref == null) {
            throw KinesisBackend.invalidArgument("Invalid ShardIterator.");
        }
        long now = kinesis.nowMillis();
        if (now - it.issuedAtMillis() > ITERATOR_LIFETIME_MILLIS) {
            throw new AwsException(KinesisError.EXPIRED_ITERATOR, "Iterator expired. The iterator was created at time "
                    + javaDate(it.issuedAtMillis()) + " while right now it is " + javaDate(now)
                    + " which is further in the future than the tolerated delay of " + ITERATOR_LIFETIME_MILLIS
                    + " milliseconds.");
        }
        Optional<StreamInfo> found = kinesis.find(ref);
        if (found.isEmpty() || found.get().id() != it.streamId() || found.get().shard(it.shardIndex()).isEmpty()) {
            throw shardGone(ref, it.shardIndex());
        }
        StreamInfo info = found.get();
        ShardInfo shard = info.shard(it.shardIndex()).orElseThrow();
        KinesisBackend.checkDryRun(in.dryRun());
        if (!kinesis.throttling().tryRead(info.name(), shard.index())) {
            // GetRecords's newer throttling text (captured 2023 and 2025), unlike PutRecord's.
            throw new AwsException(KinesisError.PROVISIONED_THROUGHPUT_EXCEEDED, "Rate exceeded for Shard - "
                    + ref.account() + "/" + ref.name() + "/" + ShardIds.format(shard.index()));
        }
        dev.tributary.emulator.control.Faults.Hit fault = kinesis.shardFault("GetRecords", ref, shard.index());
        if (fault != null) {
            throw new AwsException(fault.error(), fault.message());
        }
        int limit = in.limit() == null ? DEFAULT_LIMIT : in.limit();
        List<StoredRecord> stored;
        long offset;
        ShardLog log;
        try {
            log = kinesis.store().log(info.name(), shard.index());
            offset = Math.max(it.offset(), log.startOffset());
            stored = offset >= log.endOffset() ? List.of() : log.read(offset, limit, MAX_BYTES);
        } catch (StreamNotFoundException e) {
            throw shardGone(ref, it.shardIndex());
        } catch (OffsetOutOfRangeException e) {
            // Retention moved the start past us between the two calls: read from the new start.
            log = kinesis.store().log(info.name(), shard.index());
            offset = log.startOffset();
            stored = log.read(offset, limit, MAX_BYTES);
        }
        long bytes = 0;
        for (StoredRecord r : stored) {
            bytes += r.size();
        }
        kinesis.throttling().chargeRead(info.name(), shard.index(), bytes);
        long dataBytes = 0;
        for (StoredRecord r : stored) {
            dataBytes += r.value().length;
        }
        kinesis.metrics().recordsOut(ref.name(), stored.size(), dataBytes);
        long created = shard.createdAt().toEpochMilli();
        List<Record> records = new ArrayList<>(stored.size());
        for (StoredRecord r : stored) {
            records.add(new Record(SequenceNumbers.ofRecord(created, shard.index(), r.offset()),
                    KinesisBackend.instant(r.timestampMillis()), r.value(),
                    new String(r.key(), StandardCharsets.UTF_8),
                    (r.flags() & KinesisBackend.FLAG_KMS) != 0 ? "KMS" : null));
        }
        long next = stored.isEmpty() ? offset : stored.get(stored.size() - 1).offset() + 1;
        long end = log.endOffset();
        long behind = next >= end || stored.isEmpty() ? 0
                : Math.max(0, now - stored.get(stored.size() - 1).timestampMillis());
        // The shard may have closed since the stream snapshot was taken; ask the log.
        if (log.isClosed() && next >= end) {
            StreamInfo latest = kinesis.find(ref).orElse(info);
            return new Response(records, null, behind, kinesis.children(latest, shard.index()));
        }
        return new Response(records, ShardIterators.encode(now, info.id(), shard.index(), next, info.name()),
                behind, null);
    }

    private static AwsException shardGone(StreamRef ref, int shardIndex) {
        return new AwsException(KinesisError.RESOURCE_NOT_FOUND, "Shard " + ShardIds.format(shardIndex)
                + " in stream " + ref.name() + " under account " + ref.account() + " does not exist");
    }

    /** A time as Java's {@code Date.toString()} prints it in UTC, the form AWS's message uses. */
    static String javaDate(long millis) {
        SimpleDateFormat f = new SimpleDateFormat("EEE MMM dd HH:mm:ss zzz yyyy", Locale.US);
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f.format(new Date(millis));
    }
}
