package dev.tributary.emulator.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.firehose.FirehoseBackend;
import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.SequenceNumbers;
import dev.tributary.emulator.kinesis.ShardIds;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.ShardLog;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StoredRecord;
import dev.tributary.store.api.StreamInfo;
import dev.tributary.store.api.StreamNotFoundException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Kinesis streams: the list, one stream (settings, shard lineage as a tree, consumers, tags), the
 * tail page of a shard, and the JSON the tail polls. Streams are named in URLs by their store key
 * ({@code <account>/<region>/<name>}, as query parameter {@code stream}), so every account and
 * region shows in one console.
 *
 * <p>Thread-safe: stateless over the store's snapshots.
 */
final class StreamPages implements ConsoleHandler.Section {
    /** Consumers live in stream attributes as {@code consumer:<name>} = {@code created|status|until} (ops.Consumers). */
    private static final String CONSUMER_PREFIX = "consumer:";
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final long MAX_BYTES = 4L * 1024 * 1024;

    /** A JSON answer and its status. */
    record ApiReply(int status, JsonNode body) {
    }

    private final ShardStore store;
    private final KinesisBackend kinesis;
    StreamPages(ShardStore store, KinesisBackend kinesis) {
        this.store = store;
        this.kinesis = kinesis;
    }

    @Override
    public String id() {
        return "streams";
    }

    @Override
    public String title() {
        return "Streams";
    }

    /** The Kinesis streams of the store: keys of a 12-digit account (not Firehose buffer logs). */
    private List<StreamInfo> kinesisStreams() {
        List<StreamInfo> out = new ArrayList<>();
        for (StreamInfo info : store.streams()) {
            StreamRef ref = ref(info.name());
            if (ref != null) {
                kinesis.find(ref).ifPresent(out::add);
            }
        }
        return out;
    }

    private static StreamRef ref(String storeKey) {
        if (storeKey.startsWith(FirehoseBackend.STORE_PREFIX)) {
            return null;
        }
        StreamRef ref = StreamRef.ofStoreKey(storeKey);
        return ref != null && ACCOUNT.matcher(ref.account()).matches() ? ref : null;
    }

    static String streamHref(String storeKey) {
        return ConsoleHandler.PREFIX + "stream?stream=" + Html.q(storeKey);
    }

    static String tailHref(String storeKey, int shard) {
        return ConsoleHandler.PREFIX + "tail?stream=" + Html.q(storeKey) + "&shard=" + ShardIds.format(shard);
    }

    // ---- the list ------------------------------------------------------------------------------

    @Override
    public void render(Html h, Map<String, String> query) {
        h.el("h1", "Kinesis data streams");
        List<StreamInfo> all = kinesisStreams();
        if (all.isEmpty()) {
            h.raw("<p class=\"empty\">No streams yet. Create one with any Kinesis client.</p>");
            return;
        }
        List<List<Object>> rows = new ArrayList<>();
        for (StreamInfo info : all) {
            StreamRef ref = ref(info.name());
            rows.add(List.of(Html.Markup.link(streamHref(info.name()), ref.name()), ref.account(), ref.region(),
                    KinesisBackend.status(info), KinesisBackend.streamMode(info), info.openShards().size(),
                    info.shards().size(), hours(info), records(info)));
        }
        h.table("streams", List.of("Stream", "Account", "Region", "Status", "Mode", "Open shards", "All shards",
                "Retention", "Records retained"), rows);
    }

    private static String hours(StreamInfo info) {
        return info.retention().toHours() + " h";
    }

    private long records(StreamInfo info) {
        long n = 0;
        for (ShardInfo s : info.shards()) {
            try {
                ShardLog log = store.log(info.name(), s.index());
                n += log.endOffset() - log.startOffset();
            } catch (StreamNotFoundException e) {
                return n;
            }
        }
        return n;
    }

    // ---- one stream ----------------------------------------------------------------------------

    private Optional<StreamInfo> stream(Map<String, String> query) {
        String key = query.get("stream");
        StreamRef ref = key == null ? null : ref(key);
        return ref == null ? Optional.empty() : kinesis.find(ref);
    }

    void renderStream(Html h, Map<String, String> query) {
        Optional<StreamInfo> found = stream(query);
        if (found.isEmpty()) {
            h.el("h1", "Stream not found").raw("<p>No Kinesis stream ").text(query.getOrDefault("stream", ""))
                    .raw(". <a href=\"" + ConsoleHandler.PREFIX + "\">All streams</a></p>");
            return;
        }
        StreamInfo info = found.get();
        StreamRef ref = ref(info.name());
        h.raw("<h1>Stream <span class=\"name\">").text(ref.name()).raw("</span></h1>");
        h.raw("<dl class=\"facts\">");
        fact(h, "ARN", ref.arn());
        fact(h, "Status", KinesisBackend.status(info));
        fact(h, "Mode", KinesisBackend.streamMode(info));
        fact(h, "Retention", hours(info));
        fact(h, "Encryption", KinesisBackend.encryptionType(info));
        fact(h, "Created", info.createdAt());
        fact(h, "Shards", info.openShards().size() + " open of " + info.shards().size());
        h.raw("</dl>");

        h.el("h2", "Shards and lineage");
        h.raw("<p class=\"hint\">Parents above children: a split closes one shard and opens two, a merge closes two "
                + "and opens one (shown under its first parent). Select a shard to tail its records.</p>");
        lineage(h, info);

        h.el("h2", "Enhanced fan-out consumers");
        List<List<Object>> consumers = new ArrayList<>();
        long now = kinesis.nowMillis();
        for (Map.Entry<String, String> e : new TreeMap<>(info.attributes()).entrySet()) {
            if (e.getKey().startsWith(CONSUMER_PREFIX)) {
                String[] p = e.getValue().split("\\|");
                if (p.length != 3) {
                    continue;
                }
                String status = now < Long.parseLong(p[2]) ? p[1]
                        : p[1].equals(KinesisBackend.DELETING) ? null : KinesisBackend.ACTIVE;
                if (status != null) {
                    consumers.add(List.of(e.getKey().substring(CONSUMER_PREFIX.length()), status,
                            Instant.ofEpochMilli(Long.parseLong(p[0]))));
                }
            }
        }
        if (consumers.isEmpty()) {
            h.raw("<p class=\"empty\">None registered.</p>");
        } else {
            h.table("consumers", List.of("Consumer", "Status", "Registered"), consumers);
        }

        List<List<Object>> tags = new ArrayList<>();
        new TreeMap<>(info.attributes()).forEach((k, v) -> {
            if (k.startsWith(KinesisBackend.TAG_PREFIX)) {
                tags.add(List.of(k.substring(KinesisBackend.TAG_PREFIX.length()), v));
            }
        });
        if (!tags.isEmpty()) {
            h.el("h2", "Tags");
            h.table("tags", List.of("Key", "Value"), tags);
        }
    }

    private static void fact(Html h, String name, Object value) {
        h.el("dt", name).el("dd", value);
    }

    /** The shards as nested lists: roots are shards without a parent; children under their parent. */
    private void lineage(Html h, StreamInfo info) {
        h.raw("<ul class=\"lineage\">");
        for (ShardInfo s : info.shards()) {
            if (s.parent().isEmpty() || info.shard(s.parent().getAsInt()).isEmpty()) {
                node(h, info, s);
            }
        }
        h.raw("</ul>");
    }

    private void node(Html h, StreamInfo info, ShardInfo s) {
        String id = ShardIds.format(s.index());
        long count;
        try {
            ShardLog log = store.log(info.name(), s.index());
            count = log.endOffset() - log.startOffset();
        } catch (StreamNotFoundException e) {
            count = 0;
        }
        h.raw("<li class=\"node\"").attr("data-shard", id).raw("><span class=\"shard ")
                .raw(s.isOpen() ? "open" : "closed").raw("\">");
        h.link(tailHref(info.name(), s.index()), id);
        h.raw(" <span class=\"state\">").text(s.isOpen() ? "open" : "closed").raw("</span>");
        h.raw(" <span class=\"count\">").text(count + (count == 1 ? " record" : " records")).raw("</span>");
        if (s.adjacentParent().isPresent()) {
            h.raw(" <span class=\"merge\">merged with ").text(ShardIds.format(s.adjacentParent().getAsInt()))
                    .raw("</span>");
        }
        h.raw("<span class=\"range\"").attr("title", s.keyRange().start() + " – " + s.keyRange().end()).raw(">hash keys ")
                .text(abbreviate(s.keyRange().start().toString()) + " – " + abbreviate(s.keyRange().end().toString()))
                .raw("</span></span>");
        List<ShardInfo> children = new ArrayList<>();
        List<ShardInfo> mergedInto = new ArrayList<>();
        for (ShardInfo c : info.shards()) {
            if (c.parent().isPresent() && c.parent().getAsInt() == s.index()) {
                children.add(c);
            } else if (c.adjacentParent().isPresent() && c.adjacentParent().getAsInt() == s.index()) {
                mergedInto.add(c);
            }
        }
        if (!children.isEmpty() || !mergedInto.isEmpty()) {
            h.raw("<ul class=\"children\">");
            children.forEach(c -> node(h, info, c));
            for (ShardInfo c : mergedInto) {
                h.raw("<li class=\"ref\">merged into ").text(ShardIds.format(c.index()))
                        .raw(" (shown under ").text(ShardIds.format(c.parent().getAsInt())).raw(")</li>");
            }
            h.raw("</ul>");
        }
        h.raw("</li>");
    }

    private static String abbreviate(String digits) {
        return digits.length() <= 12 ? digits : digits.substring(0, 6) + "…" + digits.substring(digits.length() - 4);
    }

    /** The stream's shards as JSON: index, id, parents, open, key range, retained records. */
    ApiReply streamJson(Map<String, String> query) {
        Optional<StreamInfo> found = stream(query);
        if (found.isEmpty()) {
            return notFound("No Kinesis stream " + query.get("stream"));
        }
        StreamInfo info = found.get();
        ObjectNode out = ConsoleHandler.Json.MAPPER.createObjectNode();
        out.put("stream", ref(info.name()).name()).put("status", KinesisBackend.status(info))
                .put("retentionHours", info.retention().toHours());
        ArrayNode shards = out.putArray("shards");
        for (ShardInfo s : info.shards()) {
            ObjectNode n = shards.addObject().put("shardId", ShardIds.format(s.index())).put("open", s.isOpen());
            s.parent().ifPresent(p -> n.put("parent", ShardIds.format(p)));
            s.adjacentParent().ifPresent(p -> n.put("adjacentParent", ShardIds.format(p)));
            n.put("startingHashKey", s.keyRange().start().toString()).put("endingHashKey", s.keyRange().end().toString());
        }
        return new ApiReply(200, out);
    }

    // ---- tail ----------------------------------------------------------------------------------

    void renderTail(Html h, Map<String, String> query) {
        Optional<StreamInfo> found = stream(query);
        String shardId = query.getOrDefault("shard", "");
        int index = ShardIds.parse(shardId);
        if (found.isEmpty() || index < 0 || found.get().shard(index).isEmpty()) {
            h.el("h1", "Shard not found").raw("<p>No shard ").text(shardId).raw(" in stream ")
                    .text(query.getOrDefault("stream", "")).raw("</p>");
            return;
        }
        StreamInfo info = found.get();
        h.raw("<h1>Tail of ").text(shardId).raw(" in <a href=\"").raw(Html.escape(streamHref(info.name())))
                .raw("\" class=\"name\">").text(ref(info.name()).name()).raw("</a></h1>");
        h.raw("<form id=\"seek\" class=\"seek\"><label>From <select name=\"seek\">"
                + "<option value=\"TRIM_HORIZON\">the oldest record (TRIM_HORIZON)</option>"
                + "<option value=\"LATEST\">now on (LATEST)</option>"
                + "<option value=\"AT_SEQUENCE_NUMBER\">sequence number (AT_SEQUENCE_NUMBER)</option>"
                + "<option value=\"AFTER_SEQUENCE_NUMBER\">after sequence number (AFTER_SEQUENCE_NUMBER)</option>"
                + "<option value=\"AT_TIMESTAMP\">timestamp, UTC (AT_TIMESTAMP)</option>"
                + "</select></label> <input name=\"value\" placeholder=\"sequence number, 2026-01-31T12:00:00Z or epoch ms\" size=\"60\">"
                + " <button type=\"submit\">Seek</button> <button type=\"button\" id=\"pause\">Pause</button></form>");
        h.raw("<p id=\"tail-status\" class=\"hint\">Loading…</p>");
        h.raw("<table id=\"tail\" class=\"records\"").attr("data-stream", info.name()).attr("data-shard", shardId)
                .raw("><thead><tr><th>Sequence number</th><th>Arrival (UTC)</th><th>Partition key</th>"
                        + "<th>Data</th></tr></thead><tbody></tbody></table>");
    }

    /**
     * Up to {@code limit} records of a shard as JSON. The position is {@code from} (a shard offset,
     * as returned in {@code next}) or {@code seek} (TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER,
     * AFTER_SEQUENCE_NUMBER, AT_TIMESTAMP) with {@code value}. Expired positions read from the
     * oldest retained record, as GetRecords does.
     */
    ApiReply records(Map<String, String> query) {
        Optional<StreamInfo> found = stream(query);
        if (found.isEmpty()) {
            return notFound("No Kinesis stream " + query.get("stream"));
        }
        StreamInfo info = found.get();
        String shardId = query.getOrDefault("shard", "");
        int index = ShardIds.parse(shardId);
        Optional<ShardInfo> shard = index < 0 ? Optional.empty() : info.shard(index);
        if (shard.isEmpty()) {
            return notFound("No shard " + shardId + " in stream " + ref(info.name()).name());
        }
        int limit = DEFAULT_LIMIT;
        if (query.containsKey("limit")) {
            limit = parseLong("limit", query.get("limit")).intValue();
            if (limit < 1 || limit > MAX_LIMIT) {
                return bad("limit must be between 1 and " + MAX_LIMIT);
            }
        }
        ShardLog log;
        try {
            log = store.log(info.name(), index);
        } catch (StreamNotFoundException e) {
            return notFound("No Kinesis stream " + query.get("stream"));
        }
        long createdMillis = shard.get().createdAt().toEpochMilli();
        long from;
        try {
            from = query.containsKey("from") ? parseLong("from", query.get("from"))
                    : position(log, index, query.getOrDefault("seek", "TRIM_HORIZON"), query.get("value"));
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
        from = Math.max(log.startOffset(), Math.min(from, log.endOffset()));
        List<StoredRecord> got = log.read(from, limit, MAX_BYTES);
        ObjectNode out = ConsoleHandler.Json.MAPPER.createObjectNode();
        ArrayNode records = out.putArray("records");
        long next = from;
        for (StoredRecord r : got) {
            RecordData data = RecordData.of(r.value(), ConsoleHandler.Json.MAPPER);
            records.addObject()
                    .put("offset", r.offset())
                    .put("sequenceNumber", SequenceNumbers.ofRecord(createdMillis, index, r.offset()))
                    .put("partitionKey", new String(r.key(), StandardCharsets.UTF_8))
                    .put("arrival", Instant.ofEpochMilli(r.timestampMillis()).toString())
                    .put("size", r.value().length)
                    .put("encoding", data.encoding())
                    .put("data", data.shown());
            next = r.offset() + 1;
        }
        out.put("next", next).put("startOffset", log.startOffset()).put("endOffset", log.endOffset())
                .put("closed", log.isClosed());
        return new ApiReply(200, out);
    }

    private static long position(ShardLog log, int index, String seek, String value) {
        switch (seek) {
            case "TRIM_HORIZON":
                return log.startOffset();
            case "LATEST":
                return log.endOffset();
            case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER": {
                SequenceNumbers.Decoded d = SequenceNumbers.decode(value == null ? null : value.strip());
                if (d == null) {
                    throw new IllegalArgumentException("not a sequence number of this emulator: " + value);
                }
                if (d.shardIndex() != index) {
                    throw new IllegalArgumentException("sequence number " + value.strip() + " belongs to "
                            + ShardIds.format(d.shardIndex()) + ", not " + ShardIds.format(index));
                }
                return seek.startsWith("AT") ? d.atOffset() : d.afterOffset();
            }
            case "AT_TIMESTAMP":
                return log.offsetForTimestamp(timestamp(value));
            default:
                throw new IllegalArgumentException("seek must be TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, "
                        + "AFTER_SEQUENCE_NUMBER or AT_TIMESTAMP, not " + seek);
        }
    }

    /** Epoch milliseconds, an ISO-8601 instant, or a local date-time taken as UTC (what a browser's picker sends). */
    static long timestamp(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("AT_TIMESTAMP needs a value: epoch milliseconds or 2026-01-31T12:00:00Z");
        }
        String v = value.strip();
        if (v.chars().allMatch(Character::isDigit)) {
            return parseLong("value", v);
        }
        try {
            return Instant.parse(v).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("not a timestamp: " + v
                        + " (give epoch milliseconds or an ISO-8601 instant such as 2026-01-31T12:00:00Z)");
            }
        }
    }

    private static Long parseLong(String name, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not " + v);
        }
    }

    private ApiReply notFound(String message) {
        return new ApiReply(404, ConsoleHandler.Json.MAPPER.createObjectNode().put("message", message));
    }

    private ApiReply bad(String message) {
        return new ApiReply(400, ConsoleHandler.Json.MAPPER.createObjectNode().put("message", message));
    }
}
