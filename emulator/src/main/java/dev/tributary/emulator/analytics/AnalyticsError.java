package dev.tributary.emulator.analytics;

import dev.tributary.emulator.protocol.AwsErrorCode;

/** The errors of Kinesis Data Analytics for SQL (v1), as named by its model's error shapes. */
public enum AnalyticsError implements AwsErrorCode {
    CODE_VALIDATION("CodeValidationException", 400, false),
    CONCURRENT_MODIFICATION("ConcurrentModificationException", 400, false),
    INVALID_APPLICATION_CONFIGURATION("InvalidApplicationConfigurationException", 400, false),
    INVALID_ARGUMENT("InvalidArgumentException", 400, false),
    LIMIT_EXCEEDED("LimitExceededException", 400, false),
    RESOURCE_IN_USE("ResourceInUseException", 400, false),
    RESOURCE_NOT_FOUND("ResourceNotFoundException", 400, false),
    RESOURCE_PROVISIONED_THROUGHPUT_EXCEEDED("ResourceProvisionedThroughputExceededException", 400, false),
    SERVICE_UNAVAILABLE("ServiceUnavailableException", 500, true),
    TOO_MANY_TAGS("TooManyTagsException", 400, false),
    UNABLE_TO_DETECT_SCHEMA("UnableToDetectSchemaException", 400, false),
    UNSUPPORTED_OPERATION("UnsupportedOperationException", 400, false);

    private final String code;
    private final int status;
    private final boolean retryable;

    AnalyticsError(String code, int status, boolean retryable) {
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
