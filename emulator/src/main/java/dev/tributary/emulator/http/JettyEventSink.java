package dev.tributary.emulator.http;

import dev.tributary.emulator.protocol.EventSink;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * An {@link EventSink} over one Jetty response: messages are written one at a time, in order (a
 * Jetty response takes no concurrent writes), as HTTP/1.1 chunks or HTTP/2 data frames. A failed
 * write means the client went away: the sink closes and its close actions run.
 *
 * <p>Thread-safe: state is guarded by this object's monitor; close actions run outside it.
 */
final class JettyEventSink implements EventSink {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Response response;
    private final Callback done;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final List<Runnable> closeActions = new CopyOnWriteArrayList<>();
    private boolean writing;
    private boolean closing;
    private boolean closed;
    private boolean closeActionsRun;

    JettyEventSink(Response response, Callback done) {
        this.response = response;
        this.done = done;
    }

    @Override
    public boolean send(byte[] message) {
        synchronized (this) {
            if (closed || closing) {
                return false;
            }
            queue.add(message);
            if (writing) {
                return true;
            }
            writing = true;
        }
        drain();
        return true;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed || closing) {
                return;
            }
            closing = true;
            if (writing) {
                return;
            }
            writing = true;
        }
        drain();
    }

    @Override
    public synchronized boolean isOpen() {
        return !closed && !closing;
    }

    @Override
    public void onClose(Runnable action) {
        boolean runNow;
        synchronized (this) {
            runNow = closeActionsRun;
            if (!runNow) {
                closeActions.add(action);
            }
        }
        if (runNow) {
            action.run();
        }
    }

    /** Writes the next queued message, or ends the response when closing; called with writing == true. */
    private void drain() {
        byte[] next;
        boolean last;
        synchronized (this) {
            next = queue.poll();
            last = next == null && closing;
            if (next == null && !last) {
                writing = false;
                return;
            }
            if (last) {
                closed = true;
            }
        }
        if (last) {
            response.write(true, EMPTY, done);
            runCloseActions();
            return;
        }
        response.write(false, ByteBuffer.wrap(next), Callback.from(this::drain, this::failed));
    }

    private void failed(Throwable cause) {
        synchronized (this) {
            closed = true;
            queue.clear();
        }
        done.failed(cause);
        runCloseActions();
    }

    private void runCloseActions() {
        synchronized (this) {
            if (closeActionsRun) {
                return;
            }
            closeActionsRun = true;
        }
        closeActions.forEach(Runnable::run);
    }
}
