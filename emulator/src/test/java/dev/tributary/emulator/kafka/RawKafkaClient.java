package dev.tributary.emulator.kafka;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/** One blocking connection that sends requests (or raw bytes) and reads response frames. */
final class RawKafkaClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int correlation;

    RawKafkaClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends a request built at {@code version} and parses the response. */
    <T extends AbstractResponse> T send(AbstractRequest.Builder<?> builder, short version) throws IOException {
        RequestHeader header = send(builder.build(version), version);
        @SuppressWarnings("unchecked")
        T response = (T) AbstractResponse.parseResponse(ByteBuffer.wrap(readFrame()), header);
        return response;
    }

    /** Sends without reading a response (acks=0). */
    RequestHeader send(AbstractRequest request, short version) throws IOException {
        ApiKeys key = request.apiKey();
        RequestHeader header = new RequestHeader(key, version, "raw", ++correlation);
        ByteBuffer body = request.serializeWithHeader(header);
        writeFrame(body);
        return header;
    }

    void writeFrame(ByteBuffer frame) throws IOException {
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        ByteBuffer sized = ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes);
        writeRaw(sized.array());
    }

    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    byte[] readFrame() throws IOException {
        int size = in.readInt();
        byte[] frame = new byte[size];
        in.readFully(frame);
        return frame;
    }

    /** True when the server closed the connection (end of stream before any byte). */
    boolean closedByServer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
