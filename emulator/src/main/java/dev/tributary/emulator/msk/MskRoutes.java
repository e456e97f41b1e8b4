package dev.tributary.emulator.msk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The REST routes of every MSK operation, read from the botocore model's HTTP bindings
 * ({@code method} and {@code requestUri} such as {@code /v1/clusters/{clusterArn}/nodes}). A path
 * matches a template segment by segment; a {@code {label}} takes one percent-decoded segment (the
 * SDKs encode the ARN's {@code :} and {@code /}). Literal templates win over labelled ones.
 */
public final class MskRoutes {
    public static final String MODEL = "/aws-models/kafka-2018-11-14.service-2.json";

    /** One operation's binding. */
    public record Route(String operation, String method, List<String> segments, int successStatus) {
    }

    /** A matched request: the operation and its path labels. */
    public record Match(Route route, Map<String, String> labels) {
    }

    private final List<Route> routes = new ArrayList<>();

    private MskRoutes() {
    }

    public static MskRoutes load() {
        MskRoutes r = new MskRoutes();
        try (InputStream in = MskRoutes.class.getResourceAsStream(MODEL)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + MODEL);
            }
            JsonNode ops = new ObjectMapper().readTree(in).get("operations");
            for (Iterator<Map.Entry<String, JsonNode>> it = ops.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode http = e.getValue().get("http");
                String uri = http.get("requestUri").asText();
                int q = uri.indexOf('?');
                r.routes.add(new Route(e.getKey(), http.get("method").asText(),
                        segments(q >= 0 ? uri.substring(0, q) : uri), http.path("responseCode").asInt(200)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // literal segments first, so /v1/clusters/x/nodes/count is never taken for a label
        r.routes.sort((a, b) -> Long.compare(labels(a), labels(b)));
        return r;
    }

    private static long labels(Route r) {
        return r.segments().stream().filter(s -> s.startsWith("{")).count();
    }

    public int size() {
        return routes.size();
    }

    /** Every route, for tests that walk them. */
    List<Route> routes() {
        return List.copyOf(routes);
    }

    static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** The operation a request addresses, or null. {@code rawPath} is still percent-encoded. */
    public Match match(String method, String rawPath) {
        List<String> parts = segments(rawPath);
        for (Route route : routes) {
            if (!route.method().equals(method) || route.segments().size() != parts.size()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            boolean ok = true;
            for (int i = 0; i < parts.size() && ok; i++) {
                String t = route.segments().get(i);
                if (t.startsWith("{")) {
                    String raw = parts.get(i);
                    String value;
                    try {
                        value = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException badEscape) {
                        value = raw;
                    }
                    labels.put(t.substring(1, t.length() - 1), value);
                } else {
                    ok = t.equals(parts.get(i));
                }
            }
            if (ok) {
                return new Match(route, labels);
            }
        }
        return null;
    }

    /** True when a path belongs to the MSK API (so it is not taken for path-style S3). */
    public static boolean isMskPath(String path) {
        return path.startsWith("/v1/clusters") || path.startsWith("/api/v2/") || path.startsWith("/v1/kafka-versions")
                || path.startsWith("/v1/compatible-kafka-versions") || path.startsWith("/v1/tags/")
                || path.startsWith("/v1/configurations") || path.startsWith("/v1/operations/")
                || path.startsWith("/v1/vpc-connection") || path.startsWith("/replication/v1/");
    }
}
