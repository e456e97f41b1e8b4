package dev.tributary.emulator.dynamodb;

import dev.tributary.emulator.protocol.AwsErrorCode;
import dev.tributary.emulator.protocol.AwsException;

/**
 * The DynamoDB errors Tributary answers with, written out as DynamoDB's {@code __type} spells them
 * (the service's namespace, {@code #}, the error shape name). The AWS SDKs take the part after
 * {@code #}.
 */
public enum DynamoDbError implements AwsErrorCode {
    CONDITIONAL_CHECK_FAILED("com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", 400, false),
    RESOURCE_NOT_FOUND("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", 400, false),
    RESOURCE_IN_USE("com.amazonaws.dynamodb.v20120810#ResourceInUseException", 400, false),
    LIMIT_EXCEEDED("com.amazonaws.dynamodb.v20120810#LimitExceededException", 400, false),
    TABLE_NOT_FOUND("com.amazonaws.dynamodb.v20120810#TableNotFoundException", 400, false),
    /** DynamoDB's validation errors come from the Coral framework, hence another namespace. */
    VALIDATION("com.amazon.coral.validate#ValidationException", 400, false);

    private final String code;
    private final int status;
    private final boolean retryable;

    DynamoDbError(String code, int status, boolean retryable) {
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

    /** A ValidationException with DynamoDB's message text. */
    public static AwsException validation(String message) {
        return new AwsException(VALIDATION, message);
    }

    /** {@code ResourceNotFoundException} for a table that does not exist, with DynamoDB's text. */
    public static AwsException tableNotFound(String table) {
        return new AwsException(RESOURCE_NOT_FOUND, "Requested resource not found: Table: " + table + " not found");
    }

    /** {@code ResourceNotFoundException} of an item operation on a missing table, with DynamoDB's text. */
    public static AwsException resourceNotFound() {
        return new AwsException(RESOURCE_NOT_FOUND, "Requested resource not found");
    }

    /** The failed condition of a conditional write, with DynamoDB's text. */
    public static AwsException conditionalCheckFailed() {
        return new AwsException(CONDITIONAL_CHECK_FAILED, "The conditional request failed");
    }
}
