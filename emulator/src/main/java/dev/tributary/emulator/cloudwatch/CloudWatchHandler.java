package dev.tributary.emulator.cloudwatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

/**
 * CloudWatch {@code PutMetricData} in each protocol the AWS SDKs have used for it: the AWS Query
 * protocol (a form-encoded POST answered in XML; SDK for Java v2 before 2.30 and the KPL), JSON 1.0
 * ({@code X-Amz-Target: GraniteServiceVersion20100801.PutMetricData}) and Smithy RPC v2 CBOR
 * ({@code POST /service/GraniteServiceVersion20100801/operation/PutMetricData}, newer SDKs). Bodies
 * may be gzip-compressed ({@code Content-Encoding: gzip}), as the SDKs compress large ones.
 * {@code ListMetrics} answers over the Query protocol from what was received. Other actions get
 * CloudWatch's {@code InvalidAction}.
 *
 * <p>The data points are kept in memory, the newest {@value #MAX_DATUMS}.
 *
 * <p>Thread-safe.
 */
public final class CloudWatchHandler {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CloudWatchHandler.class);
    /** The JSON 1.0 target prefix and the RPC v2 service name of CloudWatch. */
    public static final String SERVICE = "GraniteServiceVersion20100801";
    static final int MAX_DATUMS = 100_000;
    private static final String NS = "http://monitoring.amazonaws.com/doc/2010-08-01/";

    /** An answer: status, content type, extra headers, body. */
    public record Reply(int status, String contentType, Map<String, String> headers, byte[] body) {
    }

    private final Deque<MetricDatum> datums = new ArrayDeque<>();
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final ObjectMapper cbor = new CBORMapper();

    public CloudWatchHandler(Clock clock) {
        this.clock = clock;
    }

    /** True when a request without a Kinesis-style target is CloudWatch's (Query form or RPC v2 path). */
    public static boolean serves(String method, String path, String contentType, String target) {
        if (target != null) {
            return target.startsWith(SERVICE + ".");
        }
        if (!"POST".equals(method)) {
            return false;
        }
        return path.startsWith("/service/" + SERVICE + "/operation/")
                || contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /** Every datum received so far, oldest first. */
    public List<MetricDatum> datums() {
        synchronized (datums) {
            return List.copyOf(datums);
        }
    }

    /**
     * Handles one request. {@code headers} are keyed in lower case.
     */
    public Reply handle(String path, Map<String, String> headers, byte[] rawBody) {
        String requestId = UUID.randomUUID().toString();
        Reply reply = route(path, headers, rawBody, requestId);
        if (LOG.isDebugEnabled()) {
            LOG.debug("request service=cloudwatch path={} target={} status={} requestId={} bytesIn={}", path,
                    headers.get("x-amz-target"), reply.status(), requestId, rawBody.length);
        }
        return reply;
    }

    private Reply route(String path, Map<String, String> headers, byte[] rawBody, String requestId) {
        byte[] body;
        try {
            body = "gzip".equalsIgnoreCase(headers.get("content-encoding")) ? gunzip(rawBody) : rawBody;
        } catch (IOException e) {
            return queryError(400, "Sender", "InvalidParameterValue", "The request body could not be decompressed.", requestId);
        }
        String target = headers.get("x-amz-target");
        if (target != null) {
            return json(target.substring(target.indexOf('.') + 1), body, requestId);
        }
        if (path.startsWith("/service/" + SERVICE + "/operation/")) {
            return rpcV2(path.substring(path.lastIndexOf('/') + 1), body, requestId);
        }
        return query(body, requestId);
    }

    // ---- AWS Query

    private Reply query(byte[] body, String requestId) {
        Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
        String action = form.getOrDefault("Action", "");
        switch (action) {
            case "PutMetricData": {
                String namespace = form.get("Namespace");
                if (namespace == null) {
                    return queryError(400, "Sender", "MissingParameter",
                            "The parameter Namespace is required.", requestId);
                }
                List<MetricDatum> in;
                try {
                    in = fromForm(namespace, form);
                } catch (IllegalArgumentException e) {
                    return queryError(400, "Sender", "InvalidParameterValue", e.getMessage(), requestId);
                }
                if (in.isEmpty()) {
                    return queryError(400, "Sender", "MissingParameter", "The parameter MetricData is required.", requestId);
                }
                keep(in);
                return xml("<PutMetricDataResponse xmlns=\"" + NS + "\"><ResponseMetadata><RequestId>" + requestId
                        + "</RequestId></ResponseMetadata></PutMetricDataResponse>");
            }
            case "ListMetrics":
                return listMetrics(form, requestId);
            default:
                return queryError(400, "Sender", "InvalidAction", "The action " + action
                        + " is not valid for this web service.", requestId);
        }
    }

    private List<MetricDatum> fromForm(String namespace, Map<String, String> form) {
        Map<Integer, Map<String, String>> members = new TreeMap<>();
        String prefix = "MetricData.member.";
        for (Map.Entry<String, String> e : form.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                String rest = e.getKey().substring(prefix.length());
                int dot = rest.indexOf('.');
                if (dot < 0) {
                    continue;
                }
                int index = Integer.parseInt(rest.substring(0, dot));
                members.computeIfAbsent(index, k -> new HashMap<>()).put(rest.substring(dot + 1), e.getValue());
            }
        }
        List<MetricDatum> out = new ArrayList<>();
        for (Map<String, String> m : members.values()) {
            Map<String, String> dims = new TreeMap<>();
            for (int i = 1; m.containsKey("Dimensions.member." + i + ".Name"); i++) {
                dims.put(m.get("Dimensions.member." + i + ".Name"), m.getOrDefault("Dimensions.member." + i + ".Value", ""));
            }
            List<Double> values = new ArrayList<>();
            List<Double> counts = new ArrayList<>();
            for (int i = 1; m.containsKey("Values.member." + i); i++) {
                values.add(Double.parseDouble(m.get("Values.member." + i)));
            }
            for (int i = 1; m.containsKey("Counts.member." + i); i++) {
                counts.add(Double.parseDouble(m.get("Counts.member." + i)));
            }
            out.add(datum(namespace, m.get("MetricName"), dims, m.get("Timestamp"), number(m.get("Value")),
                    number(m.get("StatisticValues.SampleCount")), number(m.get("StatisticValues.Sum")),
                    number(m.get("StatisticValues.Minimum")), number(m.get("StatisticValues.Maximum")), values, counts,
                    m.get("Unit")));
        }
        return out;
    }

    private static Double number(String s) {
        try {
            return s == null ? null : Double.valueOf(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The value " + s + " is not a valid number.");
        }
    }

    private MetricDatum datum(String namespace, String name, Map<String, String> dims, Object timestamp, Double value,
                              Double sampleCount, Double sum, Double min, Double max, List<Double> values,
                              List<Double> counts, String unit) {
        if (name == null) {
            throw new IllegalArgumentException("The parameter MetricData.member.N.MetricName is required.");
        }
        Instant at = timestamp(timestamp);
        if (value != null) {
            return new MetricDatum(namespace, name, dims, at, 1, value, value, value, unit);
        }
        if (sampleCount != null) {
            return new MetricDatum(namespace, name, dims, at, sampleCount, sum == null ? 0 : sum,
                    min == null ? 0 : min, max == null ? 0 : max, unit);
        }
        double n = 0;
        double s = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < values.size(); i++) {
            double c = i < counts.size() ? counts.get(i) : 1;
            n += c;
            s += values.get(i) * c;
            lo = Math.min(lo, values.get(i));
            hi = Math.max(hi, values.get(i));
        }
        return new MetricDatum(namespace, name, dims, at, n, s, values.isEmpty() ? 0 : lo, values.isEmpty() ? 0 : hi, unit);
    }

    private Instant timestamp(Object t) {
        if (t == null) {
            return clock.instant();
        }
        if (t instanceof Number n) {
            return Instant.ofEpochMilli((long) (n.doubleValue() * 1000));
        }
        try {
            return Instant.parse(t.toString());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("The timestamp " + t + " is not valid.");
        }
    }

    private Reply listMetrics(Map<String, String> form, String requestId) {
        String namespace = form.get("Namespace");
        String metricName = form.get("MetricName");
        Map<String, Map<String, String>> unique = new LinkedHashMap<>();
        for (MetricDatum d : datums()) {
            if ((namespace == null || namespace.equals(d.namespace())) && (metricName == null || metricName.equals(d.metricName()))) {
                unique.putIfAbsent(d.namespace() + "\u0000" + d.metricName() + "\u0000" + d.dimensions(), Map.of());
            }
        }
        StringBuilder b = new StringBuilder("<ListMetricsResponse xmlns=\"" + NS + "\"><ListMetricsResult><Metrics>");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (MetricDatum d : datums()) {
            String k = d.namespace() + "\u0000" + d.metricName() + "\u0000" + d.dimensions();
            if (!unique.containsKey(k) || !seen.add(k)) {
                continue;
            }
            b.append("<member><Namespace>").append(escape(d.namespace())).append("</Namespace><MetricName>")
                    .append(escape(d.metricName())).append("</MetricName><Dimensions>");
            d.dimensions().forEach((n, v) -> b.append("<member><Name>").append(escape(n)).append("</Name><Value>")
                    .append(escape(v)).append("</Value></member>"));
            b.append("</Dimensions></member>");
        }
        b.append("</Metrics></ListMetricsResult><ResponseMetadata><RequestId>").append(requestId)
                .append("</RequestId></ResponseMetadata></ListMetricsResponse>");
        return xml(b.toString());
    }

    // ---- JSON 1.0 and RPC v2 CBOR

    private Reply json(String operation, byte[] body, String requestId) {
        String type = "application/x-amz-json-1.0";
        if (!operation.equals("PutMetricData")) {
            return structuredError(json, type, Map.of(), "UnknownOperationException", null, requestId);
        }
        try {
            keep(fromTree(json.readTree(body)));
        } catch (IOException | IllegalArgumentException e) {
            return structuredError(json, type, Map.of(), "InvalidParameterValue", e.getMessage(), requestId);
        }
        return new Reply(200, type, Map.of("x-amzn-RequestId", requestId), "{}".getBytes(StandardCharsets.UTF_8));
    }

    private Reply rpcV2(String operation, byte[] body, String requestId) {
        Map<String, String> headers = Map.of("smithy-protocol", "rpc-v2-cbor", "x-amzn-RequestId", requestId);
        if (!operation.equals("PutMetricData")) {
            return structuredError(cbor, "application/cbor", headers, "UnknownOperationException", null, requestId);
        }
        try {
            keep(fromTree(body.length == 0 ? cbor.createObjectNode() : cbor.readTree(body)));
        } catch (IOException | IllegalArgumentException e) {
            return structuredError(cbor, "application/cbor", headers, "InvalidParameterValue", e.getMessage(), requestId);
        }
        // PutMetricData has no output: an empty body.
        return new Reply(200, "application/cbor", headers, new byte[0]);
    }

    private List<MetricDatum> fromTree(JsonNode in) {
        String namespace = in.path("Namespace").asText(null);
        if (namespace == null) {
            throw new IllegalArgumentException("The parameter Namespace is required.");
        }
        List<MetricDatum> out = new ArrayList<>();
        for (JsonNode m : in.path("MetricData")) {
            Map<String, String> dims = new TreeMap<>();
            m.path("Dimensions").forEach(d -> dims.put(d.path("Name").asText(), d.path("Value").asText()));
            List<Double> values = new ArrayList<>();
            m.path("Values").forEach(v -> values.add(v.asDouble()));
            List<Double> counts = new ArrayList<>();
            m.path("Counts").forEach(v -> counts.add(v.asDouble()));
            JsonNode st = m.path("StatisticValues");
            JsonNode ts = m.get("Timestamp");
            Object timestamp = ts == null ? null : ts.isNumber() ? (Object) ts.doubleValue() : ts.asText();
            if (ts != null && ts.isNumber() && ts.isIntegralNumber() && ts.longValue() > 100_000_000_000L) {
                timestamp = ts.longValue() / 1000.0; // CBOR epoch millis would not fit seconds
            }
            out.add(datum(namespace, m.path("MetricName").asText(null), dims, timestamp,
                    m.has("Value") ? m.get("Value").asDouble() : null,
                    st.has("SampleCount") ? st.get("SampleCount").asDouble() : null,
                    st.has("Sum") ? st.get("Sum").asDouble() : null, st.has("Minimum") ? st.get("Minimum").asDouble() : null,
                    st.has("Maximum") ? st.get("Maximum").asDouble() : null, values, counts, m.path("Unit").asText(null)));
        }
        return out;
    }

    private static Reply structuredError(ObjectMapper mapper, String type, Map<String, String> headers, String code,
                                         String message, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("__type", code);
        if (message != null) {
            body.put("message", message);
        }
        Map<String, String> h = new HashMap<>(headers);
        h.put("x-amzn-RequestId", requestId);
        h.put("x-amzn-query-error", code + ";Sender");
        try {
            return new Reply(400, type, h, mapper.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode an error", e);
        }
    }

    // ---- helpers

    private void keep(List<MetricDatum> in) {
        synchronized (datums) {
            for (MetricDatum d : in) {
                if (datums.size() == MAX_DATUMS) {
                    datums.removeFirst();
                }
                datums.addLast(d);
            }
        }
    }

    private static Reply xml(String body) {
        return new Reply(200, "text/xml", Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    private static Reply queryError(int status, String type, String code, String message, String requestId) {
        String body = "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>" + type + "</Type><Code>" + code
                + "</Code><Message>" + escape(message) + "</Message></Error><RequestId>" + requestId
                + "</RequestId></ErrorResponse>";
        return new Reply(status, "text/xml", Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                out.put(k, v);
            }
        }
        return out;
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readNBytes(64 * 1024 * 1024);
        }
    }
}
