package dev.tributary.emulator.protocol;

/** Errors every AWS JSON service shares: protocol, authentication and the server's own failures. */
public enum CommonError implements AwsErrorCode {
    SERIALIZATION("SerializationException", 400, false),
    VALIDATION("ValidationException", 400, false),
    UNKNOWN_OPERATION("UnknownOperationException", 400, false),
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationTokenException", 400, false),
    INCOMPLETE_SIGNATURE("IncompleteSignatureException", 400, false),
    UNRECOGNIZED_CLIENT("UnrecognizedClientException", 400, false),
    INVALID_SIGNATURE("InvalidSignatureException", 400, false),
    ACCESS_DENIED("AccessDeniedException", 400, false),
    REQUEST_ENTITY_TOO_LARGE("RequestEntityTooLarge", 413, false),
    INTERNAL_FAILURE("InternalFailure", 500, true),
    SERVICE_UNAVAILABLE("ServiceUnavailable", 503, true);

    private final String code;
    private final int status;
    private final boolean retryable;

    CommonError(String code, int status, boolean retryable) {
        this.code = code;
        this.status = status;
        this.retryable = retryable;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public int httpStatus() {
        return status;
    }

    @Override
    public boolean retryable() {
        return retryable;
    }
}
