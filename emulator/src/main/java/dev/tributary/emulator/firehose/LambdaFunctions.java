package dev.tributary.emulator.firehose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.firehose.processing.LambdaProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Lambda functions Firehose's {@code Lambda} processor can call: there is no Lambda here, so
 * a function ARN maps to a local HTTP URL (from {@code --firehose-lambda arn=url,...} and from
 * {@code POST /_tributary/firehose/lambdas}). An invocation POSTs the documented data
 * transformation event as JSON, {@code {"invocationId","deliveryStreamArn","region",
 * "records":[{"recordId","approximateArrivalTimestamp","data"}]}} (data base64), and reads the
 * function's answer {@code {"records":[{"recordId","result","data","metadata":{"partitionKeys":{}}}]}}
 * from a 2xx response body.
 *
 * <p>Failures, each retried by the processor ({@code NumberOfRetries}) before its records go to
 * the error prefix: an ARN with no URL, a connection failure, a non-2xx status or a timeout
 * ({@value #TIMEOUT_SECONDS} s) are {@code Lambda.FunctionError}; a body that is not the expected
 * JSON is {@code Lambda.JsonProcessingException}. The ARN is looked up at each invocation, so a URL
 * registered after the delivery stream was created is used. Thread-safe.
 */
public final class LambdaFunctions {
    static final int TIMEOUT_SECONDS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> urls = new ConcurrentHashMap<>();
    /** Built on first use: an HttpClient initializes TLS, which cost start-up ~80 ms when built eagerly. */
    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public LambdaFunctions(Map<String, String> fromConfig) {
        fromConfig.forEach(this::put);
    }

    /** Maps {@code functionArn} to {@code url} (http or https); a null url removes the mapping. */
    public void put(String functionArn, String url) {
        if (functionArn == null || !functionArn.startsWith("arn:")) {
            throw new IllegalArgumentException("functionArn must be a Lambda function ARN: " + functionArn);
        }
        if (url == null) {
            urls.remove(functionArn);
            return;
        }
        checkUrl(url);
        urls.put(functionArn, url);
    }

    /** Throws IllegalArgumentException unless {@code url} is an absolute http(s) URL. */
    public static void checkUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("the URL must be http:// or https:// with a host: " + url);
        }
    }

    /** The mappings, by ARN. */
    public Map<String, String> all() {
        return new TreeMap<>(urls);
    }

    /** A transformer calling {@code functionArn} on behalf of a delivery stream. */
    public LambdaProcessor.Transformer transformer(String functionArn, String deliveryStreamArn, String region) {
        return records -> invoke(functionArn, deliveryStreamArn, region, records);
    }

    private List<LambdaProcessor.Output> invoke(String functionArn, String deliveryStreamArn, String region,
                                                List<LambdaProcessor.Input> records)
            throws LambdaProcessor.InvocationException {
        String url = urls.get(functionArn);
        if (url == null) {
            throw new LambdaProcessor.InvocationException(LambdaProcessor.FUNCTION_ERROR, "Tributary has no URL for"
                    + " the function " + functionArn + ": map it with --firehose-lambda or POST"
                    + " /_tributary/firehose/lambdas.");
        }
        ObjectNode event = JSON.createObjectNode();
        event.put("invocationId", UUID.randomUUID().toString());
        event.put("deliveryStreamArn", deliveryStreamArn);
        event.put("region", region);
        ArrayNode list = event.putArray("records");
        for (LambdaProcessor.Input r : records) {
            list.addObject().put("recordId", r.recordId()).put("approximateArrivalTimestamp", r.approximateArrivalMillis())
                    .put("data", Base64.getEncoder().encodeToString(r.data()));
        }
        HttpResponse<byte[]> response;
        try {
            response = Http.CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(TIMEOUT_SECONDS))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(event))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new LambdaProcessor.InvocationException(LambdaProcessor.FUNCTION_ERROR,
                    "The function at " + url + " could not be invoked: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LambdaProcessor.InvocationException(LambdaProcessor.FUNCTION_ERROR, "interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            throw new LambdaProcessor.InvocationException(LambdaProcessor.FUNCTION_ERROR,
                    "The Lambda function was successfully invoked but it returned an error result (HTTP "
                            + response.statusCode() + ").");
        }
        return parse(response.body());
    }

    /** The records of a function's answer; throws {@code Lambda.JsonProcessingException} for anything else. */
    static List<LambdaProcessor.Output> parse(byte[] body) throws LambdaProcessor.InvocationException {
        JsonNode answer;
        try {
            answer = JSON.readTree(body);
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.path("records").isArray()) {
            throw new LambdaProcessor.InvocationException(LambdaProcessor.JSON_PROCESSING,
                    "The function's answer is not a JSON object with a records array.");
        }
        List<LambdaProcessor.Output> out = new ArrayList<>();
        for (JsonNode r : answer.get("records")) {
            byte[] data = null;
            if (r.path("data").isTextual()) {
                try {
                    data = Base64.getDecoder().decode(r.get("data").textValue());
                } catch (IllegalArgumentException e) {
                    throw new LambdaProcessor.InvocationException(LambdaProcessor.JSON_PROCESSING,
                            "The data of record " + r.path("recordId").asText() + " is not base64.");
                }
            }
            Map<String, String> keys = null;
            JsonNode pk = r.path("metadata").path("partitionKeys");
            if (pk.isObject()) {
                keys = new LinkedHashMap<>();
                for (var it = pk.fields(); it.hasNext(); ) {
                    var e = it.next();
                    if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                        keys.put(e.getKey(), e.getValue().asText());
                    }
                }
            }
            out.add(new LambdaProcessor.Output(r.path("recordId").isTextual() ? r.get("recordId").textValue() : null,
                    r.path("result").asText(null), data, keys));
        }
        return out;
    }
}
