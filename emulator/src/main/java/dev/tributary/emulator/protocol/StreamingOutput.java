package dev.tributary.emulator.protocol;

/**
 * The output of an operation that answers with an event stream instead of one body (Kinesis
 * SubscribeToShard). The dispatcher answers 200 with {@code application/vnd.amazon.eventstream}
 * and the HTTP front end calls {@link #start} with a sink over the response.
 */
public interface StreamingOutput {

    /** Starts streaming; returns at once, events follow asynchronously. */
    void start(EventSink sink);
}
