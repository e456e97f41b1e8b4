package dev.tributary.emulator.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The AWS event-stream binary framing ({@code application/vnd.amazon.eventstream}), as
 * SubscribeToShard answers with.
 *
 * <p>Layout of one message, all integers big-endian:
 * <pre>
 *   total length        4 bytes  (the whole message, prelude and trailing CRC included)
 *   headers length      4 bytes
 *   prelude CRC32       4 bytes  (over the 8 bytes before it)
 *   headers             headers length bytes; each: name length (1), name (UTF-8),
 *                       value type (1; 7 = string), value length (2), value (UTF-8)
 *   payload             the rest
 *   message CRC32       4 bytes  (over everything before it)
 * </pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class EventStreamCodec {
    private static final byte STRING = 7;

    private EventStreamCodec() {
    }

    /** An event: {@code :message-type=event}, its {@code :event-type} and {@code :content-type}. */
    public static byte[] event(String eventType, String contentType, byte[] payload) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":message-type", "event");
        headers.put(":event-type", eventType);
        headers.put(":content-type", contentType);
        return encode(headers, payload);
    }

    /** An exception: {@code :message-type=exception} and {@code :exception-type}. */
    public static byte[] exception(String exceptionType, String contentType, byte[] payload) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":message-type", "exception");
        headers.put(":exception-type", exceptionType);
        headers.put(":content-type", contentType);
        return encode(headers, payload);
    }

    public static byte[] encode(Map<String, String> headers, byte[] payload) {
        int headersLength = 0;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            headersLength += 1 + h.getKey().getBytes(StandardCharsets.UTF_8).length + 1 + 2
                    + h.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        int total = 12 + headersLength + payload.length + 4;
        ByteBuffer buf = ByteBuffer.allocate(total);
        buf.putInt(total).putInt(headersLength);
        CRC32 crc = new CRC32();
        crc.update(buf.array(), 0, 8);
        buf.putInt((int) crc.getValue());
        for (Map.Entry<String, String> h : headers.entrySet()) {
            byte[] name = h.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = h.getValue().getBytes(StandardCharsets.UTF_8);
            buf.put((byte) name.length).put(name).put(STRING).putShort((short) value.length).put(value);
        }
        buf.put(payload);
        crc.reset();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
        return buf.array();
    }

    /** A decoded message, for tests and diagnostics. */
    public record Message(Map<String, String> headers, byte[] payload) {
    }

    /**
     * Decodes one message starting at the buffer's position, checking both CRCs; advances past it.
     *
     * @throws IllegalArgumentException on a bad CRC or a truncated message
     */
    public static Message decode(ByteBuffer buf) {
        int start = buf.position();
        if (buf.remaining() < 16) {
            throw new IllegalArgumentException("truncated event-stream message");
        }
        int total = buf.getInt();
        int headersLength = buf.getInt();
        int preludeCrc = buf.getInt();
        CRC32 crc = new CRC32();
        byte[] prelude = new byte[8];
        buf.get(start, prelude);
        crc.update(prelude);
        if ((int) crc.getValue() != preludeCrc || total < 16 || buf.remaining() < total - 12) {
            throw new IllegalArgumentException("bad event-stream prelude");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        int headersEnd = buf.position() + headersLength;
        while (buf.position() < headersEnd) {
            byte[] name = new byte[buf.get() & 0xff];
            buf.get(name);
            byte type = buf.get();
            if (type != STRING) {
                throw new IllegalArgumentException("unsupported header type " + type);
            }
            byte[] value = new byte[buf.getShort() & 0xffff];
            buf.get(value);
            headers.put(new String(name, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8));
        }
        byte[] payload = new byte[total - 16 - headersLength];
        buf.get(payload);
        int messageCrc = buf.getInt();
        byte[] all = new byte[total - 4];
        buf.get(start, all);
        crc.reset();
        crc.update(all);
        if ((int) crc.getValue() != messageCrc) {
            throw new IllegalArgumentException("bad event-stream message CRC");
        }
        return new Message(headers, payload);
    }
}
