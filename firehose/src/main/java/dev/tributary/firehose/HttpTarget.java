package dev.tributary.firehose;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An HTTP endpoint destination as the engine sees it: a {@link Sender} that makes one delivery
 * request (the emulator's POSTs AWS's documented JSON to the user's URL), how long to keep
 * retrying, and whether every batch is also backed up to S3.
 *
 * <p>The engine sends one buffer at a time. A failed request is retried with exponential backoff
 * (1 s, then doubling, at most 2 minutes; no jitter, so tests can predict it) on the injected
 * clock while the next attempt would start within {@code retryDuration} of the first; a failure
 * that is not {@link Result#retryable()} ends it at once. Then the batch's records are written as
 * {@code http-endpoint-failed} error records under the S3 error prefix.
 *
 * @param url           for logs
 * @param sender        makes one request
 * @param retryDuration {@code RetryOptions.DurationInSeconds} (AWS's default is 300 s; 0: no retry)
 * @param allData       {@code S3BackupMode} AllData: every batch also goes to the S3 prefix
 */
public record HttpTarget(String url, Sender sender, Duration retryDuration, boolean allData) {
    /** AWS's backoff cap. */
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(2);

    public HttpTarget {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(retryDuration, "retryDuration");
    }

    /** Makes one delivery request of {@code records}; never throws for a failed request. */
    @FunctionalInterface
    public interface Sender {
        Result send(String requestId, long timestampMillis, List<byte[]> records);
    }

    /** A request's outcome; {@code errorCode} and {@code errorMessage} describe a failure. */
    public record Result(boolean ok, boolean retryable, String errorCode, String errorMessage) {
        public static final Result OK = new Result(true, false, null, null);

        public static Result failed(boolean retryable, String errorCode, String errorMessage) {
            return new Result(false, retryable, errorCode, errorMessage);
        }
    }

    /** The wait after failed attempt number {@code attempts} (1-based): 1 s, 2 s, 4 s, ... at most 2 minutes. */
    public static long backoffMillis(int attempts) {
        return Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(attempts - 1, 20));
    }
}
