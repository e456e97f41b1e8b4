package dev.tributary.emulator.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.control.ControlHandler;
import dev.tributary.emulator.firehose.FirehoseBackend;
import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.time.ControlClock;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console under {@code /_tributary/ui/} (docs/console.md): server-rendered HTML pages, one
 * hand-written script and one style sheet from the classpath, and a JSON API under
 * {@code /_tributary/ui/api/} the script polls. Reached through the control handler, on the same
 * port as every AWS API; only GET is served (the buttons call the existing control endpoints).
 *
 * <p>Pages are {@link Section}s listed once in {@link #sections}: the navigation bar is built from
 * that list, so a new service's page is one class and one line there.
 *
 * <p>Thread-safe: it keeps no state of its own; every page reads the store's snapshots.
 */
public final class ConsoleHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleHandler.class);

    /** Every console path starts with this (also served without the trailing slash). */
    public static final String PREFIX = "/_tributary/ui/";
    static final String ROOT = "/_tributary/ui";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JSON = "application/json";

    /** One page of the console, with its entry in the navigation bar. */
    interface Section {
        /** The path segment after {@value #PREFIX}, and the navigation id. */
        String id();

        String title();

        /** Writes the page's main content. */
        void render(Html page, Map<String, String> query);
    }

    /** A section for a service the console does not show yet. */
    record Placeholder(String id, String title, String what) implements Section {
        @Override
        public void render(Html page, Map<String, String> query) {
            page.el("h1", title).raw("<p class=\"placeholder\">Not available yet: ").text(what).raw("</p>");
        }
    }

    /** Created on first use, not at start-up (Jackson would then be on the start-up path). */
    static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final StreamPages streams;
    private final List<Section> sections;

    /** @param firehose null when Firehose does not run (its page then says so) */
    public ConsoleHandler(ShardStore store, KinesisBackend kinesis, FirehoseBackend firehose, ControlClock clock) {
        this.streams = new StreamPages(store, kinesis);
        this.sections = List.of(
                streams,
                new FirehosePage(store, firehose),
                new Placeholder("analytics", "Kinesis Analytics",
                        "applications with their SQL, in-application streams and error stream."),
                new Placeholder("msk", "MSK",
                        "clusters with brokers, partitions, leaders, ISR and consumer-group lag."),
                new ClockPage(clock));
    }

    /** Answers a request whose path starts with {@value #ROOT}. */
    public ControlHandler.Reply handle(String method, String path, String rawQuery) {
        try {
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                return jsonError(405, "The console only serves GET; use the /_tributary/ control endpoints to change state");
            }
            Map<String, String> query = parseQuery(rawQuery);
            String rest = path.equals(ROOT) ? "" : path.substring(PREFIX.length());
            if (rest.startsWith("static/")) {
                return asset(rest.substring("static/".length()));
            }
            if (rest.startsWith("api/")) {
                return api(rest.substring("api/".length()), query);
            }
            if (rest.isEmpty()) {
                return page(streams, query);
            }
            if (rest.equals("stream")) {
                return page(streams, "Stream", (p, q) -> streams.renderStream(p, q), query);
            }
            if (rest.equals("tail")) {
                return page(streams, "Tail", (p, q) -> streams.renderTail(p, q), query);
            }
            for (Section s : sections) {
                if (s.id().equals(rest)) {
                    return page(s, query);
                }
            }
            return page(null, "Not found", (p, q) -> p.el("h1", "Not found")
                    .raw("<p>No console page ").text(path).raw("</p>"), query, 404);
        } catch (IllegalArgumentException e) {
            return jsonError(400, e.getMessage());
        } catch (StoreException | UncheckedIOException e) {
            LOG.warn("console request failed path={} error={}", path, e.toString());
            return jsonError(500, "The console could not read the store: " + e.getMessage());
        }
    }

    private ControlHandler.Reply api(String route, Map<String, String> query) {
        try {
            StreamPages.ApiReply reply = switch (route) {
                case "records" -> streams.records(query);
                case "stream" -> streams.streamJson(query);
                default -> new StreamPages.ApiReply(404,
                        Json.MAPPER.createObjectNode().put("message", "No console API " + route));
            };
            return new ControlHandler.Reply(reply.status(), JSON, Json.MAPPER.writeValueAsBytes(reply.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Renderer {
        void render(Html page, Map<String, String> query);
    }

    private ControlHandler.Reply page(Section s, Map<String, String> query) {
        return page(s, s.title(), s::render, query, 200);
    }

    private ControlHandler.Reply page(Section nav, String title, Renderer body, Map<String, String> query) {
        return page(nav, title, body, query, 200);
    }

    /** The page frame: navigation, the section's content, the script. */
    private ControlHandler.Reply page(Section nav, String title, Renderer body, Map<String, String> query, int status) {
        Html h = new Html();
        h.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .text(title).raw(" · Tributary</title>")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .raw("<link rel=\"stylesheet\" href=\"" + PREFIX + "static/console.css\">")
                .raw("<script src=\"" + PREFIX + "static/console.js\" defer></script></head><body>")
                .raw("<header><a class=\"brand\" href=\"" + PREFIX + "\">Tributary</a><nav>");
        for (Section s : sections) {
            h.raw("<a href=\"" + PREFIX + (s == streams ? "" : s.id()) + "\"")
                    .raw(s == nav ? " class=\"current\"" : "").raw(">").text(s.title()).raw("</a>");
        }
        h.raw("</nav></header><main>");
        body.render(h, query);
        h.raw("</main></body></html>");
        return new ControlHandler.Reply(status, HTML, h.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static ControlHandler.Reply asset(String name) {
        String type = switch (name) {
            case "console.js" -> "text/javascript; charset=utf-8";
            case "console.css" -> "text/css; charset=utf-8";
            default -> null;
        };
        if (type == null) {
            return new ControlHandler.Reply(404, "text/plain; charset=utf-8",
                    "not found".getBytes(StandardCharsets.UTF_8));
        }
        try (InputStream in = ConsoleHandler.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("console resource missing from the jar: " + name);
            }
            return new ControlHandler.Reply(200, type, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ControlHandler.Reply jsonError(int status, String message) {
        ObjectNode n = Json.MAPPER.createObjectNode().put("message", String.valueOf(message));
        return new ControlHandler.Reply(status, JSON, n.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code a=1&b=x%20y} to a map; the last of repeated names wins; malformed escapes are a 400. */
    static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }
}
