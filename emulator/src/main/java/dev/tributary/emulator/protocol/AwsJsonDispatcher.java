package dev.tributary.emulator.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS JSON protocol, independent of any HTTP library: routes a request by its
 * {@code X-Amz-Target}, decodes and validates the body against the model, runs the operation, and
 * encodes the answer (or the error) in the request's wire format. Every failure becomes an
 * AWS-shaped error: client errors are 4xx, and only a bug of ours is an {@code InternalFailure}
 * (500), logged here with its stack trace and never sent to the client.
 *
 * <p>Thread-safe.
 */
public final class AwsJsonDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(AwsJsonDispatcher.class);

    /**
     * An encoded answer; for a streaming operation {@code streaming} is set and {@code body} empty,
     * and the front end streams the events.
     */
    public record Answer(int status, String contentType, byte[] body, String requestId, String errorCode,
                         StreamingOutput streaming) {
        public Answer(int status, String contentType, byte[] body, String requestId, String errorCode) {
            this(status, contentType, body, requestId, errorCode, null);
        }
    }

    /** The content type of event-stream answers. */
    public static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    private final Map<String, AwsJsonService> servicesByPrefix = new HashMap<>();
    private final AwsMappers mappers;
    private final ModelDecoder decoder = new ModelDecoder();
    private final Authenticator authenticator;
    private final Supplier<String> requestIds;

    public AwsJsonDispatcher(List<AwsJsonService> services, AwsMappers mappers, Authenticator authenticator) {
        for (AwsJsonService s : services) {
            servicesByPrefix.put(s.targetPrefix(), s);
        }
        this.mappers = mappers;
        this.authenticator = authenticator;
        this.requestIds = () -> UUID.randomUUID().toString();
    }

    /** True when this dispatcher serves the target's service prefix. */
    public boolean serves(String target) {
        if (target == null) {
            return false;
        }
        int dot = target.indexOf('.');
        return dot > 0 && servicesByPrefix.containsKey(target.substring(0, dot));
    }

    /** Where each answer is counted and timed; none until set. */
    private volatile dev.tributary.emulator.metrics.Metrics metrics;

    public void setMetrics(dev.tributary.emulator.metrics.Metrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Handles one request: routed by its {@code X-Amz-Target} header (e.g.
     * {@code Kinesis_20131202.PutRecord}), answered in the wire format of its {@code Content-Type}.
     * Counted and timed per service and operation (both {@code unknown} when the target names
     * none of ours); a streaming answer is timed until its first byte is ready, not to its end.
     */
    public Answer dispatch(RawRequest request) {
        long start = System.nanoTime();
        String target = request.header("X-Amz-Target");
        int dot = target == null ? -1 : target.indexOf('.');
        AwsJsonService service = dot > 0 ? servicesByPrefix.get(target.substring(0, dot)) : null;
        Operation<?, ?> op = service == null ? null : service.operation(target.substring(dot + 1));
        Answer answer = dispatch(request, target, service, op);
        long nanos = System.nanoTime() - start;
        dev.tributary.emulator.metrics.Metrics m = metrics;
        if (m != null) {
            m.request(op == null ? "unknown" : service.name(), op == null ? "unknown" : op.name(), answer.status(),
                    answer.errorCode(), nanos);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("request target={} status={} error={} micros={} requestId={} bytesIn={} bytesOut={}", target,
                    answer.status(), answer.errorCode(), nanos / 1000, answer.requestId(), request.body().length,
                    answer.body().length);
        }
        return answer;
    }

    /** Handles a request already routed to {@code op} (null when the target names none of ours). */
    private Answer dispatch(RawRequest request, String target, AwsJsonService service, Operation<?, ?> op) {
        String contentType = request.header("Content-Type");
        byte[] body = request.body();
        WireFormat format = WireFormat.ofContentType(contentType);
        String requestId = requestIds.get();
        try {
            if (op == null) {
                throw new AwsException(CommonError.UNKNOWN_OPERATION, null);
            }
            Authenticator.Principal principal = authenticator.authenticate(request);
            RequestContext ctx = new RequestContext(principal.account(), principal.region(), requestId, format);
            Object output = run(service, op, ctx, body, format);
            if (output instanceof StreamingOutput streaming) {
                return new Answer(200, EVENT_STREAM, new byte[0], requestId, null, streaming);
            }
            // Operations without output (CreateStream, SplitShard ...) answer with an empty body, as AWS does.
            byte[] bytes = output == null ? new byte[0] : mappers.mapper(format).writeValueAsBytes(output);
            return new Answer(200, contentType(format, contentType), bytes, requestId, null);
        } catch (AwsException e) {
            if (e.error().httpStatus() >= 500) {
                LOG.warn("request failed requestId={} target={} error={} message={}", requestId, target,
                        e.error().code(), e.getMessage());
            }
            return error(e.error(), e.getMessage(), format, requestId, contentType);
        } catch (dev.tributary.store.api.NotEnoughReplicasException
                 | dev.tributary.store.api.LeaderNotAvailableException
                 | dev.tributary.store.api.ReplicationTimeoutException e) {
            // The replicated store cannot serve the shard right now (docs/replication.md): a retryable
            // 503 the SDKs retry, as for any transient AWS server-side failure.
            LOG.warn("shard unavailable requestId={} target={} cause={}", requestId, target, e.getMessage());
            return error(CommonError.SERVICE_UNAVAILABLE, null, format, requestId, contentType);
        } catch (RuntimeException | IOException | Error e) {
            LOG.error("internal failure requestId={} target={}", requestId, target, e);
            return error(CommonError.INTERNAL_FAILURE, null, format, requestId, contentType);
        }
    }

    @SuppressWarnings("unchecked")
    private <I, O> O run(AwsJsonService service, Operation<I, O> op, RequestContext ctx, byte[] body,
                         WireFormat format) throws IOException {
        dev.tributary.emulator.control.Faults f = faults;
        if (f == null || f.isEmpty()) {
            I fast = op.decodeFast(body, mappers.mapper(format).getFactory());
            if (fast != null) {
                return op.execute(ctx, fast);
            }
        }
        Shape input = service.model().operation(op.name()).input();
        ObjectNode tree = input == null ? mappers.json().createObjectNode() : decoder.decode(input, body, format);
        if (input != null) {
            service.validator().validate(input, tree);
        }
        injectFault(service, op, tree);
        ObjectMapper json = mappers.json();
        I request = op.bind(tree, json);
        return op.execute(ctx, request);
    }

    /** Faults from the test-control API, applied after validation and before the operation. */
    private volatile dev.tributary.emulator.control.Faults faults;

    public void setFaults(dev.tributary.emulator.control.Faults faults) {
        this.faults = faults;
    }

    private void injectFault(AwsJsonService service, Operation<?, ?> op, ObjectNode tree) {
        dev.tributary.emulator.control.Faults f = faults;
        if (f == null) {
            return;
        }
        String stream = tree.hasNonNull("StreamName") ? tree.get("StreamName").asText() : null;
        if (stream == null && tree.hasNonNull("StreamARN")) {
            String arn = tree.get("StreamARN").asText();
            stream = arn.substring(arn.indexOf("stream/") + 7).split("/")[0];
        }
        dev.tributary.emulator.control.Faults.Hit hit = f.check(service.name(), op.name(), stream);
        if (hit == null) {
            return;
        }
        if (hit.latencyMillis() > 0) {
            try {
                Thread.sleep(hit.latencyMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (hit.error() != null) {
            throw new AwsException(hit.error(), hit.message());
        }
    }

    /** Encodes an AWS error in the given wire format. */
    public Answer error(AwsErrorCode code, String message, WireFormat format, String requestId) {
        return error(code, message, format, requestId, null);
    }

    /**
     * Encodes an AWS error in the request's wire format and JSON version. The error code kept
     * beside the body (for the {@code x-amzn-ErrorType} header and metrics) is the bare name: a
     * {@code __type} such as DynamoDB's {@code com.amazonaws.dynamodb.v20120810#X} keeps its
     * namespace only in the body, where the SDKs strip it.
     */
    private Answer error(AwsErrorCode code, String message, WireFormat format, String requestId, String requestType) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("__type", code.code());
        if (message != null) {
            // AWS's JSON services spell the key "Message" for SerializationException only.
            body.put(code == CommonError.SERIALIZATION ? "Message" : "message", message);
        }
        try {
            String name = code.code().substring(code.code().indexOf('#') + 1);
            return new Answer(code.httpStatus(), contentType(format, requestType),
                    mappers.mapper(format).writeValueAsBytes(body), requestId, name);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode an error body", e);
        }
    }

    /** The answer's content type: the request's JSON version (DynamoDB speaks 1.0), else as {@link #contentType(WireFormat)}. */
    static String contentType(WireFormat format, String requestType) {
        if (format == WireFormat.JSON && requestType != null && requestType.contains("x-amz-json-1.0")) {
            return "application/x-amz-json-1.0";
        }
        return contentType(format);
    }

    public static String contentType(WireFormat format) {
        return format == WireFormat.CBOR ? "application/x-amz-cbor-1.1" : "application/x-amz-json-1.1";
    }
}
