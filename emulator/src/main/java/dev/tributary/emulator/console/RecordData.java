package dev.tributary.emulator.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * How the console shows a record's bytes: {@code json} when they are valid UTF-8 holding one JSON
 * object or array, {@code text} when they are valid UTF-8 without control characters (other than
 * tab, CR and LF), else {@code hex}. The shown text is exact for json and text (the record's own
 * characters, not a re-serialization), so a payload is found on the page as it was put.
 *
 * @param encoding json, text or hex
 * @param shown    what the page displays
 */
record RecordData(String encoding, String shown) {

    static RecordData of(byte[] data, ObjectMapper json) {
        String text;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data));
            text = chars.toString();
        } catch (CharacterCodingException e) {
            return hex(data);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                return hex(data);
            }
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                JsonNode node = json.readTree(text);
                if (node != null && node.isContainerNode()) {
                    return new RecordData("json", text);
                }
            } catch (IOException e) {
                // Not JSON after all: plain text.
            }
        }
        return new RecordData("text", text);
    }

    private static RecordData hex(byte[] data) {
        return new RecordData("hex", HexFormat.ofDelimiter(" ").formatHex(data));
    }
}
