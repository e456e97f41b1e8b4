package dev.tributary.emulator.protocol;

import java.util.Objects;

/**
 * The one exception operations throw to answer with an AWS error. The HTTP edge renders it in the
 * request's content type as {@code {"__type": code, "message": text}}.
 */
public final class AwsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient AwsErrorCode error;

    public AwsException(AwsErrorCode error, String message) {
        super(message, null, false, false);
        this.error = Objects.requireNonNull(error, "error");
    }

    public AwsErrorCode error() {
        return error;
    }
}
