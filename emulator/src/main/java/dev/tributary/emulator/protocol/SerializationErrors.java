package dev.tributary.emulator.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The texts of AWS's {@code SerializationException}s, in one place. AWS's JSON services (Coral)
 * report type mismatches in the words of their Java deserializer, "an String" included. Sources
 * for each text: docs/research/kinesis-error-texts.md, section 2.
 */
final class SerializationErrors {
    private static final String NUMBER = "class com.amazon.coral.value.json.numbers.TruncatingBigNumber";

    private SerializationErrors() {
    }

    /** Malformed or empty bodies: AWS answers with the bare type and no message. */
    static AwsException malformed(WireFormat format) {
        return new AwsException(CommonError.SERIALIZATION, null);
    }

    static AwsException invalidBase64(String value, String reason) {
        return new AwsException(CommonError.SERIALIZATION, "'" + value + "' can not be converted to a Blob: " + reason);
    }

    static AwsException wrongType(JsonParser p, Shape shape) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_ARRAY) {
            return error("Start of list found where not expected");
        }
        if (t == JsonToken.START_OBJECT) {
            return error("Start of structure or map found where not expected.");
        }
        switch (shape.type()) {
            case LIST:
                return error("Expected list or null");
            case MAP:
                return error("Expected map or null");
            case STRUCTURE:
                return error("Expected null");
            default:
                break;
        }
        String found = switch (t == null ? JsonToken.NOT_AVAILABLE : t) {
            case VALUE_STRING -> "class java.lang.String";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> NUMBER;
            case VALUE_TRUE, VALUE_FALSE -> "class java.lang.Boolean";
            case VALUE_EMBEDDED_OBJECT -> "class [B";
            default -> String.valueOf(t);
        };
        return switch (shape.type()) {
            case STRING -> error(found + " can not be converted to an String");
            case INTEGER -> error(found + " can not be converted to an Integer");
            case LONG -> error(found + " can not be converted to an Long");
            case DOUBLE -> error(found + " can not be converted to an Double");
            case FLOAT -> error(found + " can not be converted to an Float");
            case BOOLEAN -> t == JsonToken.VALUE_STRING
                    ? error("'" + text(p).toUpperCase(java.util.Locale.ROOT) + "' can not be converted to an Boolean")
                    : error(found + " can not be converted to an Boolean");
            case TIMESTAMP -> error(found + " can not be converted to milliseconds since epoch");
            case BLOB -> error(found + " can not be converted to a Blob");
            default -> error(found + " can not be converted");
        };
    }

    private static String text(JsonParser p) {
        try {
            return p.getText();
        } catch (IOException e) {
            return "";
        }
    }

    private static AwsException error(String message) {
        return new AwsException(CommonError.SERIALIZATION, message);
    }
}
