package dev.tributary.emulator.kinesis;

import dev.tributary.emulator.protocol.AwsErrorCode;

/** The errors of Kinesis Data Streams, as named in its API reference. */
public enum KinesisError implements AwsErrorCode {
    RESOURCE_NOT_FOUND("ResourceNotFoundException", 400, false),
    RESOURCE_IN_USE("ResourceInUseException", 400, false),
    INVALID_ARGUMENT("InvalidArgumentException", 400, false),
    LIMIT_EXCEEDED("LimitExceededException", 400, false),
    PROVISIONED_THROUGHPUT_EXCEEDED("ProvisionedThroughputExceededException", 400, true),
    EXPIRED_ITERATOR("ExpiredIteratorException", 400, false),
    EXPIRED_NEXT_TOKEN("ExpiredNextTokenException", 400, false),
    ACCESS_DENIED("AccessDeniedException", 400, false),
    VALIDATION("ValidationException", 400, false),
    KMS_ACCESS_DENIED("KMSAccessDeniedException", 400, false),
    KMS_DISABLED("KMSDisabledException", 400, false),
    KMS_INVALID_STATE("KMSInvalidStateException", 400, false),
    KMS_NOT_FOUND("KMSNotFoundException", 400, false),
    KMS_OPT_IN_REQUIRED("KMSOptInRequired", 400, false),
    KMS_THROTTLING("KMSThrottlingException", 400, true),
    DRY_RUN("DryRunOperationException", 400, false),
    INTERNAL_FAILURE("InternalFailureException", 500, true);

    private final String code;
    private final int status;
    private final boolean retryable;

    KinesisError(String code, int status, boolean retryable) {
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
