package dev.tributary.emulator.firehose;

import dev.tributary.emulator.protocol.AwsErrorCode;

/** The errors of Amazon Data Firehose, as named in its API reference (model error shapes). */
public enum FirehoseError implements AwsErrorCode {
    CONCURRENT_MODIFICATION("ConcurrentModificationException", 400, false),
    INVALID_ARGUMENT("InvalidArgumentException", 400, false),
    INVALID_KMS_RESOURCE("InvalidKMSResourceException", 400, false),
    INVALID_SOURCE("InvalidSourceException", 400, false),
    LIMIT_EXCEEDED("LimitExceededException", 400, false),
    RESOURCE_IN_USE("ResourceInUseException", 400, false),
    RESOURCE_NOT_FOUND("ResourceNotFoundException", 400, false),
    SERVICE_UNAVAILABLE("ServiceUnavailableException", 503, true);

    private final String code;
    private final int status;
    private final boolean retryable;

    FirehoseError(String code, int status, boolean retryable) {
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
