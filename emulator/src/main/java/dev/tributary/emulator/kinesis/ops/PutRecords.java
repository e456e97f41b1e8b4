package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.SequenceNumbers;
import dev.tributary.emulator.kinesis.ShardIds;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.AppendRecord;
import dev.tributary.store.api.AppendResult;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.StreamInfo;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes up to 500 records (5 MiB in all) in one call. Records are grouped by shard and each
 * group is appended as one batch, so the records of one shard keep their request order; results
 * come back in request order. Malformed input fails the whole call; per-record errors
 * ({@code ProvisionedThroughputExceededException}, {@code InternalFailure}) are data in the
 * response, never an exception.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html">PutRecords</a>
 */
public final class PutRecords extends KinesisOperation<PutRecords.Request, PutRecords.Response> {
    /** The whole request's data and partition keys: 10 MiB since AWS raised record sizes (was 5 MiB). */
    static final long MAX_REQUEST_PAYLOAD = 10L * 1024 * 1024;

    public record Entry(byte[] data, String explicitHashKey, String partitionKey) {
    }

    public record Request(List<Entry> records, String streamName, String streamARN, String streamId,
                          Boolean dryRun) {
    }

    public record ResultEntry(String sequenceNumber, String shardId, String errorCode, String errorMessage) {
    }

    @com.fasterxml.jackson.databind.annotation.JsonSerialize(using = ResponseWriter.class)
    public record Response(Integer failedRecordCount, List<ResultEntry> records, String encryptionType) {
    }

    /**
     * Writes the response with the generator directly: the bean serializer's per-property work for
     * 500 result entries was a tenth of the call (docs/benchmarks.md). Same members, same order,
     * absent ones omitted, in JSON or CBOR alike.
     */
    static final class ResponseWriter extends com.fasterxml.jackson.databind.JsonSerializer<Response> {
        @Override
        public void serialize(Response r, com.fasterxml.jackson.core.JsonGenerator g,
                              com.fasterxml.jackson.databind.SerializerProvider provider) throws java.io.IOException {
            g.writeStartObject();
            g.writeNumberField("FailedRecordCount", r.failedRecordCount());
            g.writeFieldName("Records");
            g.writeStartArray(r.records(), r.records().size());
            for (ResultEntry e : r.records()) {
                g.writeStartObject();
                if (e.sequenceNumber() != null) {
                    g.writeStringField("SequenceNumber", e.sequenceNumber());
                }
                if (e.shardId() != null) {
                    g.writeStringField("ShardId", e.shardId());
                }
                if (e.errorCode() != null) {
                    g.writeStringField("ErrorCode", e.errorCode());
                }
                if (e.errorMessage() != null) {
                    g.writeStringField("ErrorMessage", e.errorMessage());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            if (r.encryptionType() != null) {
                g.writeStringField("EncryptionType", r.encryptionType());
            }
            g.writeEndObject();
        }
    }

    private final RecordRouting routing;

    /** Built by hand from the validated tree: binding 500 entries with Jackson cost ~8% of the call. */
    @Override
    public Request bind(com.fasterxml.jackson.databind.node.ObjectNode tree,
                        com.fasterxml.jackson.databind.ObjectMapper json) throws java.io.IOException {
        com.fasterxml.jackson.databind.JsonNode list = tree.get("Records");
        List<Entry> entries = new ArrayList<>(list.size());
        for (com.fasterxml.jackson.databind.JsonNode e : list) {
            entries.add(new Entry(e.get("Data").binaryValue(), text(e, "ExplicitHashKey"), text(e, "PartitionKey")));
        }
        return new Request(entries, text(tree, "StreamName"), text(tree, "StreamARN"), text(tree, "StreamId"),
                tree.has("DryRun") ? tree.get("DryRun").booleanValue() : null);
    }

    /**
     * Decodes the SDKs' usual request (StreamName and Records of Data, PartitionKey, ExplicitHashKey)
     * straight from the parser, with the model's constraints checked inline: about a fifth of the
     * server's time per record went to the tree and its validation (docs/benchmarks.md). Anything
     * else (a StreamARN, DryRun, an unknown member, a null, a CBOR text blob, a value out of range)
     * returns null and takes the model path.
     */
    @Override
    public Request decodeFast(byte[] body, com.fasterxml.jackson.core.JsonFactory factory) {
        boolean cbor = factory instanceof com.fasterxml.jackson.dataformat.cbor.CBORFactory;
        try (com.fasterxml.jackson.core.JsonParser p = factory.createParser(body)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return null;
            }
            String streamName = null;
            List<Entry> entries = null;
            com.fasterxml.jackson.core.JsonToken t;
            while ((t = p.nextToken()) == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.currentName();
                com.fasterxml.jackson.core.JsonToken v = p.nextToken();
                if (field.equals("StreamName") && streamName == null
                        && v == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                    streamName = p.getText();
                    if (!validStreamName(streamName)) {
                        return null;
                    }
                } else if (field.equals("Records") && entries == null
                        && v == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                    entries = fastEntries(p, cbor);
                    if (entries == null) {
                        return null;
                    }
                } else {
                    return null;
                }
            }
            if (t != com.fasterxml.jackson.core.JsonToken.END_OBJECT || p.nextToken() != null || streamName == null
                    || entries == null) {
                return null;
            }
            return new Request(entries, streamName, null, null, null);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static List<Entry> fastEntries(com.fasterxml.jackson.core.JsonParser p, boolean cbor)
            throws java.io.IOException {
        List<Entry> entries = new ArrayList<>(500);
        com.fasterxml.jackson.core.JsonToken t;
        while ((t = p.nextToken()) != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
            if (t != com.fasterxml.jackson.core.JsonToken.START_OBJECT || entries.size() == 500) {
                return null;
            }
            byte[] data = null;
            String partitionKey = null;
            String hashKey = null;
            while ((t = p.nextToken()) == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.currentName();
                com.fasterxml.jackson.core.JsonToken v = p.nextToken();
                if (field.equals("Data") && data == null) {
                    if (cbor && v == com.fasterxml.jackson.core.JsonToken.VALUE_EMBEDDED_OBJECT) {
                        data = p.getBinaryValue();
                    } else if (!cbor && v == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                        String text = p.getText();
                        if (text.length() % 4 != 0) {
                            return null;
                        }
                        data = java.util.Base64.getDecoder().decode(text); // throws on bad input: model path
                    } else {
                        return null;
                    }
                    if (data.length > MAX_DATA_BYTES) {
                        return null;
                    }
                } else if (field.equals("PartitionKey") && partitionKey == null
                        && v == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                    partitionKey = p.getText();
                    // UTF-16 length bounds the code point count from above, and 1 unit is 1 code point.
                    if (partitionKey.isEmpty() || partitionKey.length() > 256) {
                        return null;
                    }
                } else if (field.equals("ExplicitHashKey") && hashKey == null
                        && v == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                    hashKey = p.getText();
                    if (!validHashKey(hashKey)) {
                        return null;
                    }
                } else {
                    return null;
                }
            }
            if (t != com.fasterxml.jackson.core.JsonToken.END_OBJECT || data == null) {
                return null;
            }
            entries.add(new Entry(data, hashKey, partitionKey));
        }
        return entries.isEmpty() ? null : entries;
    }

    /** The model's Data blob limit (10 MiB); larger ones take the model path and its error. */
    private static final int MAX_DATA_BYTES = 10 * 1024 * 1024;

    /** {@code [a-zA-Z0-9_.-]+}, 1 to 128 characters. */
    private static boolean validStreamName(String s) {
        if (s.isEmpty() || s.length() > 128) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** {@code ^(0|([1-9]\d{0,38}))$}. */
    private static boolean validHashKey(String s) {
        if (s.isEmpty() || s.length() > 39 || (s.charAt(0) == '0' && s.length() > 1)) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode node, String field) {
        com.fasterxml.jackson.databind.JsonNode v = node.get(field);
        return v == null ? null : v.textValue();
    }

    public PutRecords(KinesisBackend kinesis) {
        super(kinesis, Request.class);
        this.routing = new RecordRouting(kinesis);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        StreamRef ref = kinesis.ref(ctx, in.streamName(), in.streamARN());
        List<Entry> records = in.records();
        StreamInfo first = kinesis.getForWrite(ref);
        long payload = 0;
        for (int i = 0; i < records.size(); i++) {
            Entry e = records.get(i);
            RecordRouting.checkRecord(first, e.data(), e.partitionKey(), "records." + (i + 1) + ".member.");
            payload += e.data().length + RecordRouting.keyBytes(e.partitionKey()).length;
        }
        if (payload > MAX_REQUEST_PAYLOAD) {
            // AWS's text for the old 5 MiB limit was "Records size exceeds 5 MB limit"; the 10 MiB one is
            // assumed to follow it (unverified).
            throw KinesisBackend.invalidArgument("Records size exceeds 10 MB limit");
        }
        BigInteger[] hashKeys = new BigInteger[records.size()];
        for (int i = 0; i < records.size(); i++) {
            hashKeys[i] = routing.hashKey(first, records.get(i).partitionKey(), records.get(i).explicitHashKey());
        }
        for (BigInteger key : hashKeys) {
            kinesis.route(first, key);
        }
        KinesisBackend.checkDryRun(in.dryRun());
        ResultEntry[] results = new ResultEntry[records.size()];
        List<Integer> pending = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            pending.add(i);
        }
        // Throughput limits are checked once per record, in request order, on the first routing:
        // a throttled record fails alone, as a per-record error (FailedRecordCount counts them).
        int failed = 0;
        List<Integer> admitted = new ArrayList<>(records.size());
        for (int i : pending) {
            ShardInfo shard = kinesis.route(first, hashKeys[i]);
            Entry e = records.get(i);
            if (kinesis.throttling().tryWrite(first.name(), shard.index(),
                    e.data().length + RecordRouting.keyBytes(e.partitionKey()).length)) {
                admitted.add(i);
            } else {
                results[i] = new ResultEntry(null, null, "ProvisionedThroughputExceededException",
                        KinesisBackend.throttledMessage(ref, shard.index()));
                failed++;
            }
        }
        pending = admitted;
        boolean kms = "KMS".equals(KinesisBackend.encryptionType(first));
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt > RecordRouting.MAX_REROUTES) {
                throw new IllegalStateException("shards kept closing under a write");
            }
            StreamInfo info = attempt == 0 ? first : kinesis.getForWrite(ref);
            kms = "KMS".equals(KinesisBackend.encryptionType(info));
            long now = kinesis.nowMillis();
            // Keyed by shard index: ShardInfo's hash would hash its BigInteger range per record.
            Map<Integer, List<Integer>> byShard = new LinkedHashMap<>();
            Map<Integer, ShardInfo> shards = new java.util.HashMap<>();
            for (int i : pending) {
                ShardInfo routed = kinesis.route(info, hashKeys[i]);
                shards.putIfAbsent(routed.index(), routed);
                byShard.computeIfAbsent(routed.index(), k -> new ArrayList<>()).add(i);
            }
            List<Integer> retry = new ArrayList<>();
            for (Map.Entry<Integer, List<Integer>> group : byShard.entrySet()) {
                ShardInfo shard = shards.get(group.getKey());
                List<AppendRecord> batch = new ArrayList<>(group.getValue().size());
                for (int i : group.getValue()) {
                    Entry e = records.get(i);
                    batch.add(new AppendRecord(now, RecordRouting.keyBytes(e.partitionKey()), e.data(),
                            kms ? KinesisBackend.FLAG_KMS : 0));
                }
                try {
                    AppendResult result = routing.append(ref, info, shard, batch);
                    long dataBytes = 0;
                    for (AppendRecord r : batch) {
                        dataBytes += r.value().length;
                    }
                    kinesis.metrics().recordsIn(ref.name(), batch.size(), dataBytes);
                    long offset = result.firstOffset();
                    String shardId = ShardIds.format(shard.index());
                    long created = shard.createdAt().toEpochMilli();
                    for (int i : group.getValue()) {
                        results[i] = new ResultEntry(SequenceNumbers.ofRecord(created, shard.index(), offset++),
                                shardId, null, null);
                    }
                } catch (RecordRouting.ShardMoved moved) {
                    retry.addAll(group.getValue());
                } catch (dev.tributary.store.api.NotEnoughReplicasException
                         | dev.tributary.store.api.LeaderNotAvailableException
                         | dev.tributary.store.api.ReplicationTimeoutException unavailable) {
                    // The shard's replicas cannot take the write now (a stopped leader, too few in sync):
                    // those records fail alone, with the per-record error AWS uses for server-side faults.
                    for (int i : group.getValue()) {
                        results[i] = new ResultEntry(null, null, "InternalFailure", "Internal service failure.");
                        failed++;
                    }
                }
            }
            pending = retry;
        }
        return new Response(failed, Arrays.asList(results), kms ? "KMS" : null);
    }
}
