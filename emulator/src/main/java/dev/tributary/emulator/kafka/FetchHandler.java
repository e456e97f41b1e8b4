package dev.tributary.emulator.kafka;

import dev.tributary.store.api.ReplicaState;
import dev.tributary.store.api.ShardLog;
import dev.tributary.store.api.StoredRecord;
import dev.tributary.store.api.StreamInfo;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;

/**
 * Fetch (sessionless: every response carries session id 0, so clients send full fetches) and
 * ListOffsets.
 *
 * <p>Fetch reads each partition from its fetch offset up to the high watermark, at most
 * {@code partitionMaxBytes} per partition and {@code maxBytes} in all (a first record is always
 * returned, however large, as Kafka does), and re-encodes the records as one uncompressed
 * RecordBatch v2 per partition. When fewer than {@code minBytes} are available it long-polls: it
 * waits on {@link ShardLog#awaitAppend} of every partition until one grows or {@code maxWaitMs}
 * passes, then reads again. The wait is in real time: it is a network timeout, not emulated time.
 *
 * <p>Thread-safe and stateless.
 */
final class FetchHandler {
    /** Kafka's ListOffsets special timestamps. */
    static final long LATEST = -1;
    static final long EARLIEST = -2;
    static final long MAX_TIMESTAMP = -3;

    private final KafkaApis apis;
    private final KafkaTopics topics;

    private final dev.tributary.emulator.metrics.Metrics metrics;

    FetchHandler(KafkaApis apis, KafkaTopics topics, dev.tributary.emulator.metrics.Metrics metrics) {
        this.apis = apis;
        this.topics = topics;
        this.metrics = metrics;
    }

    FetchResponseData handle(KafkaBroker broker, FetchRequestData req, short v) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, req.maxWaitMs()));
        while (true) {
            List<CompletableFuture<Long>> waits = new ArrayList<>();
            int[] bytes = {0};
            FetchResponseData out = read(broker, req, bytes, waits);
            long remaining = deadline - System.nanoTime();
            if (bytes[0] >= req.minBytes() || remaining <= 0 || waits.isEmpty()) {
                countOut(out);
                return out;
            }
            try {
                CompletableFuture.anyOf(waits.toArray(new CompletableFuture<?>[0])).get(remaining, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // read once more and answer with whatever is there
                deadline = System.nanoTime();
            } catch (ExecutionException e) {
                deadline = System.nanoTime();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                countOut(out);
                return out;
            } finally {
                // done futures are dropped from the log's waiter list: an idle partition polled for
                // hours must not collect them
                waits.forEach(f -> f.cancel(false));
            }
        }
    }

    private FetchResponseData read(KafkaBroker broker, FetchRequestData req, int[] totalBytes,
                                   List<CompletableFuture<Long>> waits) {
        FetchResponseData out = new FetchResponseData().setSessionId(0).setErrorCode(Errors.NONE.code());
        int maxBytes = req.maxBytes() <= 0 ? Integer.MAX_VALUE : req.maxBytes();
        for (FetchRequestData.FetchTopic ft : req.topics()) {
            FetchResponseData.FetchableTopicResponse tr = new FetchResponseData.FetchableTopicResponse().setTopic(ft.topic());
            StreamInfo topic = topics.find(ft.topic()).orElse(null);
            for (FetchRequestData.FetchPartition fp : ft.partitions()) {
                FetchResponseData.PartitionData pr = new FetchResponseData.PartitionData()
                        .setPartitionIndex(fp.partition()).setHighWatermark(-1).setLastStableOffset(-1)
                        .setLogStartOffset(-1).setRecords(MemoryRecords.EMPTY);
                tr.partitions().add(pr);
                if (topic == null) {
                    pr.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                    continue;
                }
                Errors notLeader = apis.leaderError(broker, topic, fp.partition(), org.apache.kafka.common.protocol.ApiKeys.FETCH);
                if (notLeader != null) {
                    pr.setErrorCode(notLeader.code());
                    continue;
                }
                try {
                    ShardLog log = topics.store().log(topic.name(), fp.partition());
                    ReplicaState rs = topics.store().replicaState(topic.name(), fp.partition());
                    long hw = Math.min(rs.highWatermark(), log.endOffset());
                    long start = log.startOffset();
                    pr.setHighWatermark(hw).setLastStableOffset(hw).setLogStartOffset(start);
                    long offset = fp.fetchOffset();
                    if (offset < start || offset > hw) {
                        pr.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code());
                        continue;
                    }
                    int budget = Math.min(fp.partitionMaxBytes(), maxBytes - totalBytes[0]);
                    if (offset == hw || (budget <= 0 && totalBytes[0] > 0)) {
                        waits.add(log.awaitAppend(offset));
                        continue;
                    }
                    List<StoredRecord> records = log.read(offset, (int) Math.min(Integer.MAX_VALUE, hw - offset),
                            Math.max(1, budget));
                    if (records.isEmpty()) {
                        waits.add(log.awaitAppend(offset));
                        continue;
                    }
                    MemoryRecords encoded = encode(records, hw);
                    pr.setRecords(encoded);
                    totalBytes[0] += encoded.sizeInBytes();
                } catch (RuntimeException e) {
                    pr.setErrorCode(KafkaApis.errorOf(e).code());
                }
            }
            out.responses().add(tr);
        }
        return out;
    }

    private void countOut(FetchResponseData out) {
        for (FetchResponseData.FetchableTopicResponse t : out.responses()) {
            for (FetchResponseData.PartitionData p : t.partitions()) {
                if (p.records() instanceof MemoryRecords m && m.sizeInBytes() > 0) {
                    long n = 0;
                    for (org.apache.kafka.common.record.RecordBatch b : m.batches()) {
                        Integer count = b.countOrNull();
                        n += count == null ? 0 : count;
                    }
                    metrics.recordsOut(KafkaTopics.storeName(t.topic()), n, m.sizeInBytes());
                }
            }
        }
    }

    /** The records below the high watermark as one uncompressed RecordBatch v2. */
    static MemoryRecords encode(List<StoredRecord> records, long highWatermark) {
        int estimate = 64;
        for (StoredRecord r : records) {
            estimate += r.size() + 32;
        }
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(estimate), RecordBatch.CURRENT_MAGIC_VALUE,
                Compression.NONE, TimestampType.CREATE_TIME, records.get(0).offset());
        for (StoredRecord r : records) {
            if (r.offset() >= highWatermark) {
                break;
            }
            RecordFraming.Decoded d = RecordFraming.decode(r);
            builder.appendWithOffset(r.offset(), r.timestampMillis(), d.key(), d.value(), d.headers());
        }
        return builder.build();
    }

    ListOffsetsResponseData listOffsets(KafkaBroker broker, ListOffsetsRequestData req, short v) {
        ListOffsetsResponseData out = new ListOffsetsResponseData();
        for (ListOffsetsRequestData.ListOffsetsTopic t : req.topics()) {
            ListOffsetsResponseData.ListOffsetsTopicResponse tr = new ListOffsetsResponseData.ListOffsetsTopicResponse()
                    .setName(t.name());
            StreamInfo topic = topics.find(t.name()).orElse(null);
            for (ListOffsetsRequestData.ListOffsetsPartition p : t.partitions()) {
                ListOffsetsResponseData.ListOffsetsPartitionResponse pr = new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                        .setPartitionIndex(p.partitionIndex()).setOffset(-1).setTimestamp(-1);
                tr.partitions().add(pr);
                if (topic == null) {
                    pr.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                    continue;
                }
                Errors notLeader = apis.leaderError(broker, topic, p.partitionIndex(), org.apache.kafka.common.protocol.ApiKeys.LIST_OFFSETS);
                if (notLeader != null) {
                    pr.setErrorCode(notLeader.code());
                    continue;
                }
                try {
                    ShardLog log = topics.store().log(topic.name(), p.partitionIndex());
                    ReplicaState rs = topics.store().replicaState(topic.name(), p.partitionIndex());
                    long hw = Math.min(rs.highWatermark(), log.endOffset());
                    if (v >= 4) {
                        pr.setLeaderEpoch(rs.leaderEpoch());
                    }
                    long ts = p.timestamp();
                    if (ts == EARLIEST) {
                        pr.setOffset(log.startOffset());
                    } else if (ts == LATEST) {
                        pr.setOffset(hw);
                    } else if (ts == MAX_TIMESTAMP) {
                        maxTimestamp(log, hw, pr);
                    } else if (ts < 0) {
                        pr.setErrorCode(Errors.UNSUPPORTED_VERSION.code());
                    } else {
                        long offset = log.offsetForTimestamp(ts);
                        if (offset < hw) {
                            List<StoredRecord> r = log.read(offset, 1, 1);
                            pr.setOffset(offset).setTimestamp(r.isEmpty() ? -1 : r.get(0).timestampMillis());
                        }
                    }
                } catch (RuntimeException e) {
                    pr.setErrorCode(KafkaApis.errorOf(e).code());
                }
            }
            out.topics().add(tr);
        }
        return out;
    }

    /** The offset of the record with the largest timestamp (the first of equals), by a scan. */
    private static void maxTimestamp(ShardLog log, long hw, ListOffsetsResponseData.ListOffsetsPartitionResponse pr) {
        long best = -1;
        long bestTs = -1;
        long offset = log.startOffset();
        while (offset < hw) {
            List<StoredRecord> batch = log.read(offset, 10_000, 16L << 20);
            if (batch.isEmpty()) {
                break;
            }
            for (StoredRecord r : batch) {
                if (r.offset() < hw && r.timestampMillis() > bestTs) {
                    bestTs = r.timestampMillis();
                    best = r.offset();
                }
            }
            offset = batch.get(batch.size() - 1).offset() + 1;
        }
        pr.setOffset(best).setTimestamp(bestTs);
    }
}
