package dev.tributary.emulator.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.emulator.config.KafkaConfig;
import dev.tributary.store.ShardStores;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StoreConfig;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The listener on the wire: version negotiation, acks=0, and garbage that must not hurt it. */
class KafkaListenerTest {
    private ShardStore store;
    private KafkaServer server;
    private int port;

    @BeforeEach
    void start() {
        store = ShardStores.open(StoreConfig.defaults(null));
        server = KafkaServer.start(new KafkaConfig(0, "127.0.0.1", Duration.ZERO, Duration.ZERO, Duration.ZERO), "127.0.0.1", store,
                Clock.systemUTC());
        port = server.brokers().get(0).port();
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    @Test
    void apiVersionsAdvertisesOnlyWhatIsServed() throws Exception {
        try (RawKafkaClient c = new RawKafkaClient(port)) {
            ApiVersionsResponse r = c.send(new ApiVersionsRequest.Builder(), (short) 3);
            assertThat(r.data().errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(r.data().apiKeys()).hasSize(23);
            ApiVersionsResponseData.ApiVersion produce = r.data().apiKeys().find(ApiKeys.PRODUCE.id);
            assertThat(produce.minVersion()).isZero();
            assertThat(produce.maxVersion()).isEqualTo((short) 11);
            assertThat(r.data().apiKeys().find(ApiKeys.FETCH.id).maxVersion()).isEqualTo((short) 12);
            assertThat(r.data().apiKeys().find(ApiKeys.INIT_PRODUCER_ID.id)).isNotNull();
            // not served, so not advertised: transactions, KIP-848, telemetry
            assertThat(r.data().apiKeys().find(ApiKeys.ADD_PARTITIONS_TO_TXN.id)).isNull();
            assertThat(r.data().apiKeys().find(ApiKeys.CONSUMER_GROUP_HEARTBEAT.id)).isNull();
            assertThat(r.data().apiKeys().find(ApiKeys.GET_TELEMETRY_SUBSCRIPTIONS.id)).isNull();
        }
    }

    /** Kafka's rule for a newer client: a v0 ApiVersions response with UNSUPPORTED_VERSION and the ranges. */
    @Test
    void apiVersionsOfAnUnknownVersionIsAnsweredInV0WithUnsupportedVersion() throws Exception {
        try (RawKafkaClient c = new RawKafkaClient(port)) {
            // header v2 (flexible) of ApiVersions v9, then a body the server need not understand
            ByteBuffer frame = ByteBuffer.allocate(32);
            frame.putShort(ApiKeys.API_VERSIONS.id).putShort((short) 9).putInt(77);
            frame.putShort((short) 2).put((byte) 'c').put((byte) 'x').put((byte) 0);
            frame.put(new byte[] {1, 1, 0});
            frame.flip();
            c.writeFrame(frame);
            ByteBuffer response = ByteBuffer.wrap(c.readFrame());
            assertThat(response.getInt()).isEqualTo(77);
            ApiVersionsResponseData data = new ApiVersionsResponseData(
                    new org.apache.kafka.common.protocol.ByteBufferAccessor(response), (short) 0);
            assertThat(data.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            assertThat(data.apiKeys().find(ApiKeys.API_VERSIONS.id).maxVersion()).isEqualTo((short) 4);
            // and the connection still serves
            ApiVersionsResponse again = c.send(new ApiVersionsRequest.Builder(), (short) 4);
            assertThat(again.data().errorCode()).isEqualTo(Errors.NONE.code());
        }
    }

    /** acks=0 gets no response: the next response on the connection answers the next request. */
    @Test
    void produceWithAcksZeroIsAppendedWithoutAResponse() throws Exception {
        try (RawKafkaClient c = new RawKafkaClient(port)) {
            CreateTopicsResponse created = c.send(new CreateTopicsRequest.Builder(new org.apache.kafka.common.message.CreateTopicsRequestData()
                    .setTopics(new org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicCollection(List.of(
                            new org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic().setName("t")
                                    .setNumPartitions(1).setReplicationFactor((short) 1)).iterator()))), (short) 7);
            assertThat(created.data().topics().find("t").errorCode()).isEqualTo(Errors.NONE.code());
            c.send(produce((short) 0, "a", "b"), (short) 11);
            ProduceResponse acked = c.send(new ProduceRequest.Builder((short) 11, (short) 11, produceData((short) -1, "c")),
                    (short) 11);
            org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse p =
                    acked.data().responses().iterator().next().partitionResponses().get(0);
            assertThat(p.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(p.baseOffset()).isEqualTo(2);
            ListOffsetsResponse latest = c.send(ListOffsetsRequest.Builder.forConsumer(false,
                    org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED).setTargetTimes(List.of(
                    new org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic().setName("t").setPartitions(List.of(
                            new org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition()
                                    .setPartitionIndex(0).setTimestamp(-1))))), (short) 7);
            assertThat(latest.data().topics().get(0).partitions().get(0).offset()).isEqualTo(3);
        }
    }

    static ProduceRequestData produceData(short acks, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(System.currentTimeMillis(), null, values[i].getBytes());
        }
        return new ProduceRequestData().setAcks(acks).setTimeoutMs(5000).setTopicData(
                new ProduceRequestData.TopicProduceDataCollection(List.of(new ProduceRequestData.TopicProduceData()
                        .setName("t").setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0)
                                .setRecords(MemoryRecords.withRecords(Compression.NONE, records))))).iterator()));
    }

    private static ProduceRequest produce(short acks, String... values) {
        return new ProduceRequest.Builder((short) 11, (short) 11, produceData(acks, values)).build((short) 11);
    }

    /**
     * Random frames (random sizes, random keys and versions, random bodies, valid headers with
     * garbage bodies) each get an error response or a closed connection, never a dead listener:
     * after each, a fresh connection is still answered.
     */
    @Test
    void garbageNeverStopsTheListener() throws Exception {
        Random random = new Random(8);
        for (int i = 0; i < 300; i++) {
            try (RawKafkaClient c = new RawKafkaClient(port)) {
                byte[] body = new byte[random.nextInt(64)];
                random.nextBytes(body);
                switch (i % 3) {
                    case 0 -> c.writeRaw(body);
                    case 1 -> {
                        ByteBuffer frame = ByteBuffer.allocate(8 + body.length);
                        short key = (short) random.nextInt(100);
                        frame.putShort(key).putShort((short) random.nextInt(20)).putInt(i).put(body);
                        frame.flip();
                        c.writeFrame(frame);
                    }
                    default -> {
                        ByteBuffer frame = ByteBuffer.allocate(10 + body.length);
                        frame.putShort(ApiKeys.values()[random.nextInt(ApiKeys.values().length)].id)
                                .putShort((short) random.nextInt(5)).putInt(i).putShort((short) -1).put(body);
                        frame.flip();
                        c.writeFrame(frame);
                    }
                }
                c.writeRaw(new byte[0]);
            }
            if (i % 50 == 49) {
                try (RawKafkaClient check = new RawKafkaClient(port)) {
                    ApiVersionsResponse r = check.send(new ApiVersionsRequest.Builder(), (short) 3);
                    assertThat(r.data().errorCode()).isEqualTo(Errors.NONE.code());
                }
            }
        }
        try (RawKafkaClient c = new RawKafkaClient(port)) {
            c.writeRaw(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawKafkaClient c = new RawKafkaClient(port)) {
            ApiVersionsResponse r = c.send(new ApiVersionsRequest.Builder(), (short) 3);
            assertThat(r.data().errorCode()).isEqualTo(Errors.NONE.code());
        }
    }

    /**
     * Every advertised API at every advertised version with its default (empty) request: each gets
     * a response that decodes at that version, or (Produce v0-2, which kafka-clients 4 cannot
     * write) a closed connection; nothing takes the listener down.
     */
    @Test
    void everyAdvertisedVersionAnswersItsEmptyRequest() throws Exception {
        int answered = 0;
        for (java.util.Map.Entry<ApiKeys, short[]> e : KafkaApis.SUPPORTED.entrySet()) {
            ApiKeys key = e.getKey();
            for (short v = e.getValue()[0]; v <= e.getValue()[1]; v++) {
                if (key == ApiKeys.PRODUCE && v < 3) {
                    continue;
                }
                org.apache.kafka.common.protocol.ApiMessage body =
                        org.apache.kafka.common.message.ApiMessageType.fromApiKey(key.id).newRequest();
                if (body instanceof ProduceRequestData produce) {
                    produce.setAcks((short) -1);   // acks=0 gets no response by design
                }
                if (body instanceof org.apache.kafka.common.message.JoinGroupRequestData join) {
                    join.setGroupId("g").setProtocolType("consumer").setSessionTimeoutMs(6000);
                }
                org.apache.kafka.common.message.RequestHeaderData header = new org.apache.kafka.common.message.RequestHeaderData()
                        .setRequestApiKey(key.id).setRequestApiVersion(v).setCorrelationId(1000 + v).setClientId("sweep");
                org.apache.kafka.common.protocol.ObjectSerializationCache cache = new org.apache.kafka.common.protocol.ObjectSerializationCache();
                short hv = key.requestHeaderVersion(v);
                ByteBuffer frame = ByteBuffer.allocate(header.size(cache, hv) + body.size(cache, v));
                org.apache.kafka.common.protocol.ByteBufferAccessor out = new org.apache.kafka.common.protocol.ByteBufferAccessor(frame);
                header.write(out, cache, hv);
                body.write(out, cache, v);
                frame.flip();
                try (RawKafkaClient c = new RawKafkaClient(port)) {
                    c.writeFrame(frame);
                    ByteBuffer response;
                    try {
                        response = ByteBuffer.wrap(c.readFrame());
                    } catch (java.io.IOException ex) {
                        throw new AssertionError(key + " v" + v + " got no answer", ex);
                    }
                    org.apache.kafka.common.requests.ResponseHeader rh =
                            org.apache.kafka.common.requests.ResponseHeader.parse(response, key.responseHeaderVersion(v));
                    assertThat(rh.correlationId()).as(key + " v" + v).isEqualTo(1000 + v);
                    org.apache.kafka.common.requests.AbstractResponse.parseResponse(key,
                            new org.apache.kafka.common.protocol.ByteBufferAccessor(response), v);
                    answered++;
                }
            }
        }
        assertThat(answered).isGreaterThan(100);
        try (RawKafkaClient c = new RawKafkaClient(port)) {
            ApiVersionsResponse r = c.send(new ApiVersionsRequest.Builder(), (short) 3);
            assertThat(r.data().errorCode()).isEqualTo(Errors.NONE.code());
        }
    }
}
