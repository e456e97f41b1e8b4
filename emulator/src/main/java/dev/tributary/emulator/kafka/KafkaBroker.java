package dev.tributary.emulator.kafka;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka broker: a listener on its own port for one store node (broker id = node id). One
 * thread accepts; each connection gets a thread of its own that reads a request, answers it and
 * only then reads the next, so responses leave in request order as Kafka requires (a long-polling
 * Fetch or a JoinGroup waiting for the group blocks only its own connection).
 *
 * <p>A frame that is not a well-formed request of a supported key and version closes the
 * connection, as a Kafka broker does; nothing a client sends can stop the listener.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    /** Kafka's {@code socket.request.max.bytes} default: larger frames close the connection. */
    static final int MAX_FRAME_BYTES = 100 * 1024 * 1024;

    private final int nodeId;
    private final String advertisedHost;
    private final ServerSocket server;
    private final KafkaApis apis;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    KafkaBroker(int nodeId, String bindHost, int port, String advertisedHost, KafkaApis apis) throws IOException {
        this.nodeId = nodeId;
        this.advertisedHost = advertisedHost;
        this.apis = apis;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port), 128);
        Thread acceptor = new Thread(this::acceptLoop, "kafka-broker-" + nodeId + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int nodeId() {
        return nodeId;
    }

    public int port() {
        return server.getLocalPort();
    }

    public String host() {
        return advertisedHost;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("Kafka accept failed nodeId={}", nodeId, e);
                }
                continue;
            }
            connections.add(socket);
            Thread t = new Thread(() -> serve(socket), "kafka-broker-" + nodeId + "-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket socket) {
        KafkaApis.Session session = new KafkaApis.Session("/" + socket.getInetAddress().getHostAddress());
        try (socket) {
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 65536));
            OutputStream out = socket.getOutputStream();
            while (!closed) {
                int size;
                try {
                    size = in.readInt();
                } catch (EOFException e) {
                    return;
                }
                if (size < 8 || size > MAX_FRAME_BYTES) {
                    LOG.debug("Kafka frame size out of range, closing nodeId={} size={}", nodeId, size);
                    return;
                }
                byte[] frame = new byte[size];
                in.readFully(frame);
                ByteBuffer response = apis.handle(this, session, ByteBuffer.wrap(frame));
                if (response == KafkaApis.CLOSE) {
                    return;
                }
                if (response != null) {
                    out.write(response.array(), response.arrayOffset() + response.position(), response.remaining());
                    out.flush();
                }
            }
        } catch (SocketException | EOFException e) {
            // the client went away
        } catch (IOException e) {
            LOG.debug("Kafka connection failed nodeId={}", nodeId, e);
        } finally {
            connections.remove(socket);
        }
    }

    @Override
    public String toString() {
        return nodeId + "@" + advertisedHost + ":" + port();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
