package dev.tributary.emulator.firehose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.firehose.HttpTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Delivers a batch to an HTTP endpoint destination as AWS documents it ("HTTP endpoint delivery
 * request and response specifications"): a POST of {@code {"requestId","timestamp","records":
 * [{"data":"<base64>"}]}} with {@code Content-Type: application/json},
 * {@code X-Amz-Firehose-Protocol-Version: 1.0}, {@code X-Amz-Firehose-Request-Id} (the same on
 * every retry), {@code X-Amz-Firehose-Source-Arn}, {@code X-Amz-Firehose-Access-Key} when an access
 * key is configured, {@code X-Amz-Firehose-Common-Attributes} ({@code {"commonAttributes":{...}}})
 * when attributes are configured, and the body gzipped with {@code Content-Encoding: gzip} when
 * {@code ContentEncoding} is GZIP.
 *
 * <p>Only a 200 whose body is JSON with the same {@code requestId} counts as delivered; redirects
 * are not followed. Failures: another status is {@code HttpEndpoint.DestinationException} (413 is
 * permanent, the others are retried); a 200 with another body is
 * {@code HttpEndpoint.InvalidResponseFromDestination}; no connection is
 * {@code HttpEndpoint.ConnectionFailed}; no answer within {@value #TIMEOUT_SECONDS} s (AWS waits 3
 * minutes; the engine waits in its delivery thread, so Tributary waits less) is
 * {@code HttpEndpoint.RequestTimeout}. Unlike AWS, {@code http://} and any port are allowed.
 * Thread-safe.
 */
public final class HttpEndpointSender implements HttpTarget.Sender {
    static final int TIMEOUT_SECONDS = 60;
    private static final int MAX_LOGGED_BODY = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Built on first use: an HttpClient initializes TLS, which cost start-up time when built eagerly. */
    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private final String url;
    private final String accessKey;
    private final Map<String, String> commonAttributes;
    private final boolean gzip;
    private final String sourceArn;

    public HttpEndpointSender(String url, String accessKey, Map<String, String> commonAttributes, boolean gzip,
                              String sourceArn) {
        this.url = url;
        this.accessKey = accessKey;
        this.commonAttributes = Map.copyOf(commonAttributes);
        this.gzip = gzip;
        this.sourceArn = sourceArn;
    }

    /** The request body for {@code records}, before compression. */
    static byte[] body(String requestId, long timestampMillis, List<byte[]> records) {
        ObjectNode body = JSON.createObjectNode();
        body.put("requestId", requestId);
        body.put("timestamp", timestampMillis);
        ArrayNode list = body.putArray("records");
        for (byte[] r : records) {
            list.addObject().put("data", Base64.getEncoder().encodeToString(r));
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public HttpTarget.Result send(String requestId, long timestampMillis, List<byte[]> records) {
        byte[] body = body(requestId, timestampMillis, records);
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(TIMEOUT_SECONDS));
        } catch (IllegalArgumentException e) {
            return HttpTarget.Result.failed(false, "HttpEndpoint.InvalidUrl", "The URL " + url + " is not valid.");
        }
        request.header("Content-Type", "application/json")
                .header("X-Amz-Firehose-Protocol-Version", "1.0")
                .header("X-Amz-Firehose-Request-Id", requestId)
                .header("X-Amz-Firehose-Source-Arn", sourceArn);
        if (accessKey != null && !accessKey.isEmpty()) {
            request.header("X-Amz-Firehose-Access-Key", accessKey);
        }
        if (!commonAttributes.isEmpty()) {
            ObjectNode attrs = JSON.createObjectNode();
            attrs.set("commonAttributes", JSON.valueToTree(commonAttributes));
            request.header("X-Amz-Firehose-Common-Attributes", attrs.toString());
        }
        if (gzip) {
            request.header("Content-Encoding", "gzip");
            body = gzip(body);
        }
        HttpResponse<byte[]> response;
        try {
            response = Http.CLIENT.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            return HttpTarget.Result.failed(true, "HttpEndpoint.RequestTimeout",
                    "The endpoint did not answer within " + TIMEOUT_SECONDS + " seconds.");
        } catch (IOException e) {
            return HttpTarget.Result.failed(true, "HttpEndpoint.ConnectionFailed",
                    "Cannot connect to the endpoint " + url + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HttpTarget.Result.failed(true, "HttpEndpoint.ConnectionFailed", "interrupted");
        }
        String answer = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() != 200) {
            return HttpTarget.Result.failed(response.statusCode() != 413, "HttpEndpoint.DestinationException",
                    "The following response was received from the endpoint destination. " + response.statusCode()
                            + ": " + truncate(answer));
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject() || !requestId.equals(json.path("requestId").asText(null))) {
            return HttpTarget.Result.failed(true, "HttpEndpoint.InvalidResponseFromDestination",
                    "The response received from the endpoint is invalid: it must be JSON with the requestId "
                            + requestId + ". Response: " + truncate(answer));
        }
        return HttpTarget.Result.OK;
    }

    private static String truncate(String s) {
        return s.length() <= MAX_LOGGED_BODY ? s : s.substring(0, MAX_LOGGED_BODY);
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
