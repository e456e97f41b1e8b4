package dev.tributary.emulator.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.firehose.Destinations;
import dev.tributary.emulator.firehose.FirehoseBackend;
import dev.tributary.firehose.DeliveryEngine;
import dev.tributary.store.api.ShardLog;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StreamInfo;
import dev.tributary.store.api.StreamNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Firehose delivery streams: status, source, destination, buffering hints, what is buffered now
 * (records and bytes against the size hint), and the newest objects delivered to the bucket (the
 * files of the S3 file sink whose names start with the delivery stream's name, as Firehose names
 * them), each linked to a path-style S3 GET.
 *
 * <p>Thread-safe: stateless over the store's snapshots and the engine's synchronized counters.
 */
final class FirehosePage implements ConsoleHandler.Section {
    static final int MAX_FILES = 20;

    private final ShardStore store;
    private final FirehoseBackend firehose;

    FirehosePage(ShardStore store, FirehoseBackend firehose) {
        this.store = store;
        this.firehose = firehose;
    }

    @Override
    public String id() {
        return "firehose";
    }

    @Override
    public String title() {
        return "Firehose";
    }

    @Override
    public void render(Html h, Map<String, String> query) {
        h.el("h1", "Firehose delivery streams");
        if (firehose == null) {
            h.raw("<p class=\"placeholder\">Firehose is not running in this server.</p>");
            return;
        }
        int shown = 0;
        for (StreamInfo info : store.streams()) {
            if (info.name().startsWith(FirehoseBackend.STORE_PREFIX)
                    && info.attributes().containsKey(FirehoseBackend.DESCRIPTION)) {
                deliveryStream(h, info);
                shown++;
            }
        }
        if (shown == 0) {
            h.raw("<p class=\"empty\">No delivery streams yet. Create one with any Firehose client.</p>");
        }
    }

    private void deliveryStream(Html h, StreamInfo info) {
        ObjectNode d = firehose.description(info);
        String name = d.path("DeliveryStreamName").asText();
        String[] key = info.name().substring(FirehoseBackend.STORE_PREFIX.length()).split("/", 3);
        JsonNode entry = d.path("Destinations").path(0);
        String type = entry.isMissingNode() ? null : Destinations.typeOf(entry);
        JsonNode s3 = type == null ? null : Destinations.s3Part(type, entry.get(type + "DestinationDescription"));
        String bucket = s3 == null || !s3.hasNonNull("BucketARN") ? null : Destinations.bucket(s3.get("BucketARN").asText());
        JsonNode hints = s3 == null ? null : s3.path("BufferingHints");
        long sizeHint = (long) (hints == null ? Destinations.DEFAULT_SIZE_MB
                : hints.path("SizeInMBs").asInt(Destinations.DEFAULT_SIZE_MB)) * 1024 * 1024;
        int interval = hints == null ? Destinations.DEFAULT_INTERVAL_SECONDS
                : hints.path("IntervalInSeconds").asInt(Destinations.DEFAULT_INTERVAL_SECONDS);

        h.raw("<section class=\"delivery\"").attr("data-delivery-stream", name).raw(">");
        h.raw("<h2>").text(name).raw("</h2><dl class=\"facts\">");
        fact(h, "Account / region", key.length == 3 ? key[0] + " / " + key[1] : "");
        fact(h, "Status", FirehoseBackend.status(d));
        fact(h, "Source", d.path("DeliveryStreamType").asText("DirectPut")
                + (info.attributes().containsKey(FirehoseBackend.SOURCE)
                        ? " from " + info.attributes().get(FirehoseBackend.SOURCE) : ""));
        fact(h, "Destination", (type == null ? "none" : type) + (bucket == null ? "" : " → s3://" + bucket + "/"
                + s3.path("Prefix").asText("")));
        fact(h, "Buffering hints", sizeHint / (1024 * 1024) + " MiB or " + interval + " s");
        long bytes = firehose.engine().bufferedBytes(info.name());
        int records = firehose.engine().buffered(info.name());
        long pending = pending(info);
        fact(h, "Buffered", records + " records, " + bytes + " bytes"
                + (pending > 0 ? " (+" + pending + " records not yet read into the buffer)" : ""));
        h.raw("</dl>");
        long percent = Math.min(100, bytes * 100 / Math.max(1, sizeHint));
        h.raw("<div class=\"fill\" title=\"buffer fill against the size hint\"><div class=\"bar\" style=\"width:")
                .raw(Long.toString(percent)).raw("%\"></div><span>").text(percent + " % of the size hint").raw("</span></div>");
        if (bucket != null) {
            files(h, bucket, name);
        }
        h.raw("</section>");
    }

    /** Records appended to the buffer log after the engine's delivered mark that it has not buffered yet. */
    private long pending(StreamInfo info) {
        try {
            ShardLog log = store.log(info.name(), 0);
            long delivered = Long.parseLong(info.attributes().getOrDefault(DeliveryEngine.DELIVERED, "0"));
            return Math.max(0, log.endOffset() - Math.max(delivered, log.startOffset())
                    - firehose.engine().buffered(info.name()));
        } catch (StreamNotFoundException | NumberFormatException e) {
            return 0;
        }
    }

    private record Delivered(String key, long size, Instant modified) {
    }

    private void files(Html h, String bucket, String name) {
        Path dir;
        try {
            dir = firehose.sink().bucketDir(bucket);
        } catch (IllegalArgumentException e) {
            return;
        }
        List<Delivered> found = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith(name + "-"))
                        .forEach(p -> {
                            try {
                                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                                found.add(new Delivered(dir.relativize(p).toString().replace('\\', '/'), a.size(),
                                        a.lastModifiedTime().toInstant()));
                            } catch (IOException e) {
                                // Deleted meanwhile: not listed.
                            }
                        });
            } catch (IOException | java.io.UncheckedIOException e) {
                h.raw("<p class=\"empty\">Cannot list s3://").text(bucket).raw("/: ").text(e.getMessage()).raw("</p>");
                return;
            }
        }
        h.raw("<h3>Delivered objects</h3>");
        if (found.isEmpty()) {
            h.raw("<p class=\"empty\">None yet in s3://").text(bucket).raw("/.</p>");
            return;
        }
        found.sort(Comparator.comparing(Delivered::modified).reversed().thenComparing(Delivered::key));
        List<List<Object>> rows = new ArrayList<>();
        for (Delivered f : found.subList(0, Math.min(MAX_FILES, found.size()))) {
            String href = "/" + bucket + "/" + f.key();
            rows.add(List.of(Html.Markup.link(href, "s3://" + bucket + "/" + f.key()), f.size(), f.modified()));
        }
        h.table("files", List.of("Object", "Bytes", "Written (file time)"), rows);
        if (found.size() > MAX_FILES) {
            h.raw("<p class=\"hint\">").text(found.size() + " objects; the newest " + MAX_FILES + " shown.").raw("</p>");
        }
    }

    private static void fact(Html h, String name, Object value) {
        h.el("dt", name).el("dd", value);
    }
}
