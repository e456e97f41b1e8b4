package dev.tributary.emulator.kinesis;

/**
 * A Kinesis resource ARN: a stream ({@code arn:aws:kinesis:<region>:<account>:stream/<name>}) or a
 * consumer of one ({@code .../stream/<name>/consumer/<consumer>:<creationEpochSeconds>}).
 *
 * @param stream          the stream
 * @param consumer        the consumer's name, or null for the stream itself
 * @param consumerCreated the consumer's creation time in epoch seconds as the ARN gives it, or -1
 */
public record ResourceArn(StreamRef stream, String consumer, long consumerCreated) {

    /** Parses a stream or consumer ARN; null when it is neither. */
    public static ResourceArn parse(String arn) {
        StreamRef stream = StreamRef.ofArn(arn);
        if (stream == null) {
            return null;
        }
        String marker = "stream/" + stream.name() + "/consumer/";
        int at = arn.indexOf(marker);
        if (at < 0) {
            return arn.endsWith("stream/" + stream.name()) ? new ResourceArn(stream, null, -1) : null;
        }
        String rest = arn.substring(at + marker.length());
        int colon = rest.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        try {
            return new ResourceArn(stream, rest.substring(0, colon), Long.parseLong(rest.substring(colon + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static String consumerArn(StreamRef stream, String consumer, long createdEpochSeconds) {
        return stream.arn() + "/consumer/" + consumer + ":" + createdEpochSeconds;
    }
}
