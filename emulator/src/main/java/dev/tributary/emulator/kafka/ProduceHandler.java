package dev.tributary.emulator.kafka;

import dev.tributary.store.api.Acks;
import dev.tributary.store.api.AppendRecord;
import dev.tributary.store.api.AppendResult;
import dev.tributary.store.api.ShardLog;
import dev.tributary.store.api.StreamInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;

/**
 * Produce: each partition's record batches are checked (CRC, magic v2, no transactions),
 * de-duplicated for idempotent producers, decoded (and decompressed) with kafka-clients'
 * {@link MemoryRecords} and appended to the partition's store log with the acks the request asks
 * for ({@code 0} {@link Acks#NONE}, {@code 1} {@link Acks#LEADER}, {@code -1} {@link Acks#ALL}).
 * A request with {@code acks=0} gets no response at all, as in Kafka.
 *
 * <p>Idempotence, as a Kafka broker checks it per partition and producer id: a batch whose
 * sequence range equals one of the last five appended is a retry and is answered with the offset
 * it got then; a batch must otherwise start right after the last sequence, else
 * {@code OUT_OF_ORDER_SEQUENCE_NUMBER}; an older epoch is {@code INVALID_PRODUCER_EPOCH}. This
 * state is kept in memory: after a restart the first batch of a known producer is accepted as it
 * comes.
 *
 * <p>Thread-safe: appends of one partition are serialized on its producer-state lock.
 */
final class ProduceHandler {
    /** Kafka keeps the metadata of the last five batches per producer for de-duplication. */
    private static final int DEDUP_BATCHES = 5;

    private final KafkaApis apis;
    private final KafkaTopics topics;
    private final Map<String, PartitionState> partitions = new ConcurrentHashMap<>();

    private final dev.tributary.emulator.metrics.Metrics metrics;

    ProduceHandler(KafkaApis apis, KafkaTopics topics, dev.tributary.emulator.metrics.Metrics metrics) {
        this.apis = apis;
        this.topics = topics;
        this.metrics = metrics;
    }

    private record BatchRange(int firstSeq, int lastSeq, long baseOffset) {
    }

    private static final class ProducerEntry {
        short epoch;
        int lastSeq;
        final Deque<BatchRange> recent = new ArrayDeque<>();
    }

    /** The producers of one partition of one topic incarnation. */
    private static final class PartitionState {
        final Map<Long, ProducerEntry> producers = new java.util.HashMap<>();
    }

    ProduceResponseData handle(KafkaBroker broker, ProduceRequestData req, short v) {
        Acks acks = switch (req.acks()) {
            case 0 -> Acks.NONE;
            case 1 -> Acks.LEADER;
            default -> Acks.ALL;
        };
        ProduceResponseData out = new ProduceResponseData();
        for (ProduceRequestData.TopicProduceData td : req.topicData()) {
            ProduceResponseData.TopicProduceResponse tr = new ProduceResponseData.TopicProduceResponse().setName(td.name());
            StreamInfo topic = topics.find(td.name()).orElse(null);
            for (ProduceRequestData.PartitionProduceData pd : td.partitionData()) {
                ProduceResponseData.PartitionProduceResponse pr = new ProduceResponseData.PartitionProduceResponse()
                        .setIndex(pd.index()).setBaseOffset(-1).setLogAppendTimeMs(-1).setLogStartOffset(-1);
                if (topic == null) {
                    pr.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                } else {
                    Errors notLeader = apis.leaderError(broker, topic, pd.index(), org.apache.kafka.common.protocol.ApiKeys.PRODUCE);
                    if (notLeader != null) {
                        pr.setErrorCode(notLeader.code());
                    } else {
                        append(topic, pd, acks, pr);
                    }
                }
                tr.partitionResponses().add(pr);
            }
            out.responses().add(tr);
        }
        return req.acks() == 0 ? null : out;
    }

    private void append(StreamInfo topic, ProduceRequestData.PartitionProduceData pd, Acks acks,
                        ProduceResponseData.PartitionProduceResponse pr) {
        if (!(pd.records() instanceof MemoryRecords records)) {
            pr.setErrorCode(Errors.CORRUPT_MESSAGE.code());
            return;
        }
        ShardLog log;
        try {
            log = topics.store().log(topic.name(), pd.index());
        } catch (RuntimeException e) {
            pr.setErrorCode(KafkaApis.errorOf(e).code());
            return;
        }
        PartitionState state = partitions.computeIfAbsent(topic.id() + "/" + pd.index(), k -> new PartitionState());
        long firstOffset = -1;
        synchronized (state) {
            try {
                for (RecordBatch batch : records.batches()) {
                    if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
                        pr.setErrorCode(Errors.UNSUPPORTED_FOR_MESSAGE_FORMAT.code());
                        return;
                    }
                    if (!batch.isValid()) {
                        pr.setErrorCode(Errors.CORRUPT_MESSAGE.code());
                        return;
                    }
                    if (batch.isTransactional()) {
                        pr.setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())
                                .setErrorMessage("Transactions are not supported by Tributary yet");
                        return;
                    }
                    if (batch.isControlBatch()) {
                        continue;
                    }
                    ProducerEntry producer = null;
                    if (batch.hasProducerId()) {
                        producer = state.producers.get(batch.producerId());
                        if (producer != null) {
                            if (batch.producerEpoch() < producer.epoch) {
                                pr.setErrorCode(Errors.INVALID_PRODUCER_EPOCH.code());
                                return;
                            }
                            if (batch.producerEpoch() == producer.epoch) {
                                BatchRange dup = duplicate(producer, batch);
                                if (dup != null) {
                                    firstOffset = firstOffset < 0 ? dup.baseOffset() : firstOffset;
                                    continue;
                                }
                                if (batch.baseSequence() != nextSequence(producer.lastSeq)) {
                                    pr.setErrorCode(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code())
                                            .setErrorMessage("Out of order sequence number for producer "
                                                    + batch.producerId() + " at offset " + log.endOffset()
                                                    + ": " + batch.baseSequence() + " (incoming seq. number), "
                                                    + producer.lastSeq + " (current end sequence number)");
                                    return;
                                }
                            }
                        }
                    }
                    List<AppendRecord> toAppend = new ArrayList<>();
                    for (Record r : batch) {
                        toAppend.add(RecordFraming.encode(r.timestamp(), r.key(), r.value(), r.headers()));
                    }
                    if (toAppend.isEmpty()) {
                        continue;
                    }
                    AppendResult result = log.append(toAppend, acks);
                    long bytes = 0;
                    for (AppendRecord a : toAppend) {
                        bytes += a.value().length;
                    }
                    metrics.recordsIn(topic.name(), toAppend.size(), bytes);
                    if (firstOffset < 0) {
                        firstOffset = result.firstOffset();
                    }
                    if (batch.hasProducerId()) {
                        if (producer == null || batch.producerEpoch() > producer.epoch) {
                            producer = new ProducerEntry();
                            producer.epoch = batch.producerEpoch();
                            state.producers.put(batch.producerId(), producer);
                        }
                        producer.lastSeq = batch.lastSequence();
                        producer.recent.addLast(new BatchRange(batch.baseSequence(), batch.lastSequence(),
                                result.firstOffset()));
                        if (producer.recent.size() > DEDUP_BATCHES) {
                            producer.recent.removeFirst();
                        }
                    }
                }
            } catch (org.apache.kafka.common.KafkaException e) {
                // a batch that does not decode (bad compression, truncated records)
                pr.setErrorCode(Errors.CORRUPT_MESSAGE.code());
                return;
            } catch (RuntimeException e) {
                pr.setErrorCode(KafkaApis.errorOf(e).code());
                return;
            }
        }
        pr.setErrorCode(Errors.NONE.code()).setBaseOffset(firstOffset).setLogStartOffset(log.startOffset());
    }

    private static BatchRange duplicate(ProducerEntry producer, RecordBatch batch) {
        for (BatchRange r : producer.recent) {
            if (r.firstSeq() == batch.baseSequence() && r.lastSeq() == batch.lastSequence()) {
                return r;
            }
        }
        return null;
    }

    private static int nextSequence(int seq) {
        return seq == Integer.MAX_VALUE ? 0 : seq + 1;
    }

    /** Forgets the producer state of a deleted topic. */
    void forget(StreamInfo topic) {
        partitions.keySet().removeIf(k -> k.startsWith(topic.id() + "/"));
    }
}
