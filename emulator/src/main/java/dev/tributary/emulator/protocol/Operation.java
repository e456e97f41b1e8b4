package dev.tributary.emulator.protocol;

/**
 * One operation of an AWS JSON-protocol service. Implementations are stateless (their state lives
 * in the service object they are given) and thread-safe.
 *
 * @param <I> the request record, AWS member names in lower camel case
 * @param <O> the response record; null for operations that answer with an empty body
 */
public interface Operation<I, O> {

    /** The operation name as in {@code X-Amz-Target}, e.g. {@code PutRecord}. */
    String name();

    Class<I> inputType();

    /**
     * Turns the decoded, validated request tree into the request record. The default binds it with
     * Jackson; an operation on a hot path (PutRecords) may build its record by hand instead.
     */
    default I bind(com.fasterxml.jackson.databind.node.ObjectNode tree,
                   com.fasterxml.jackson.databind.ObjectMapper json) throws java.io.IOException {
        return json.treeToValue(tree, inputType());
    }

    /**
     * An optional decoder straight from the request bytes, for an operation on a hot path
     * (PutRecords): it returns the request record only when the body is well-formed and satisfies
     * every constraint of the input shape, and null otherwise, in which case the request takes the
     * model path (tree, validation, bind), which produces AWS's exact error. So it may only accept,
     * never reject.
     */
    default I decodeFast(byte[] body, com.fasterxml.jackson.core.JsonFactory factory) {
        return null;
    }

    O execute(RequestContext context, I input);
}
