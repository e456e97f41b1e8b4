package dev.tributary.emulator.protocol;

/**
 * An AWS error as a front end reports it: the exact {@code __type} name clients switch on, the
 * HTTP status, and whether the AWS SDKs retry it. Each front end lists its errors in an enum
 * implementing this, with the names written out (never derived).
 */
public interface AwsErrorCode {
    /** The exact AWS error name, e.g. {@code ResourceNotFoundException}. */
    String code();

    int httpStatus();

    boolean retryable();
}
