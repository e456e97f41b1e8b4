package dev.tributary.emulator.protocol;

/**
 * Where a streaming operation writes its encoded event-stream messages. Implemented by the HTTP
 * front end over one response. Sends are queued and written in order; {@link #close} ends the
 * response after everything queued.
 *
 * <p>Thread-safe.
 */
public interface EventSink {

    /** Queues one message. Returns false when the sink is closed (the client went away). */
    boolean send(byte[] message);

    /** Ends the response once the queued messages are written. Idempotent. */
    void close();

    /** True until {@link #close} or a failed write (the client disconnected). */
    boolean isOpen();

    /** Runs {@code action} once the sink closes for any reason (client gone, or closed). */
    void onClose(Runnable action);
}
