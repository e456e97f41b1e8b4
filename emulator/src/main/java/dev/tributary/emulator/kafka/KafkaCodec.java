package dev.tributary.emulator.kafka;

import java.nio.ByteBuffer;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestAndSize;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * The thin layer over kafka-clients' generated message classes (pinned to one version in the
 * parent pom; they are internal API and move between releases): request frames in, response
 * frames out. A frame is a big-endian int32 size followed by that many bytes: a request header
 * then the body, or a response header then the body.
 */
public final class KafkaCodec {
    private KafkaCodec() {
    }

    /** A decoded request. */
    public record Request(RequestHeader header, AbstractRequest body) {
        public ApiKeys apiKey() {
            return header.apiKey();
        }

        public short version() {
            return header.apiVersion();
        }
    }

    /**
     * The API key of a frame, or -1 when the frame is too short to have one. Lets the listener
     * answer an ApiVersions request of a version it cannot parse.
     */
    static short peekApiKey(ByteBuffer frame) {
        return frame.remaining() < 8 ? -1 : frame.getShort(frame.position());
    }

    static short peekApiVersion(ByteBuffer frame) {
        return frame.getShort(frame.position() + 2);
    }

    static int peekCorrelationId(ByteBuffer frame) {
        return frame.getInt(frame.position() + 4);
    }

    /**
     * Decodes a request frame (without its size prefix).
     *
     * @throws RuntimeException (kafka-clients' own exceptions, buffer underflows) when the bytes are
     *                          not a request of a known key and version
     */
    public static Request decode(ByteBuffer frame) {
        RequestHeader header = RequestHeader.parse(frame);
        RequestAndSize body = AbstractRequest.parseRequest(header.apiKey(), header.apiVersion(),
                new ByteBufferAccessor(frame));
        return new Request(header, body.request);
    }

    /** A response frame, size prefix included, ready to write. */
    public static ByteBuffer encode(ApiKeys apiKey, short version, int correlationId, ApiMessage body) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        short headerVersion = apiKey.responseHeaderVersion(version);
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer out = ByteBuffer.allocate(4 + size);
        out.putInt(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(out);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        out.flip();
        return out;
    }
}
