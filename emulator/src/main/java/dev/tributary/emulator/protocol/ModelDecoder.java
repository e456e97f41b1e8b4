package dev.tributary.emulator.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;

/**
 * Reads a request body (JSON or CBOR) against an operation's input shape into a normalized tree:
 * timestamps become decimal epoch seconds, blobs become binary nodes, unknown members are skipped
 * (AWS ignores them), explicit nulls are dropped. A value of the wrong type fails the whole request
 * with a {@code SerializationException}, as AWS does, before any constraint is checked.
 *
 * <p>Thread-safe: the factories are shared, parsers are per call.
 */
public final class ModelDecoder {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    private final JsonFactory json;
    private final CBORFactory cbor;

    public ModelDecoder() {
        StreamReadConstraints limits = StreamReadConstraints.builder()
                .maxNestingDepth(100)
                .maxNumberLength(1000)
                .maxStringLength(64 * 1024 * 1024)
                .build();
        this.json = JsonFactory.builder().streamReadConstraints(limits).build();
        this.cbor = CBORFactory.builder().streamReadConstraints(limits).build();
    }

    /**
     * Decodes {@code body} as an instance of {@code shape} (a structure). An empty body is an
     * empty structure, as the AWS SDKs send for operations without input.
     *
     * @throws AwsException SerializationException on malformed input or a type mismatch
     */
    public ObjectNode decode(Shape shape, byte[] body, WireFormat format) {
        if (body.length == 0) {
            throw SerializationErrors.malformed(format);
        }
        try (JsonParser p = format == WireFormat.CBOR ? cbor.createParser(body) : json.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw SerializationErrors.malformed(format);
            }
            JsonNode value = read(p, shape, format);
            if (p.nextToken() != null) {
                throw SerializationErrors.malformed(format);
            }
            if (value == null) {
                return NODES.objectNode();
            }
            return (ObjectNode) value;
        } catch (StreamConstraintsException e) {
            throw SerializationErrors.malformed(format);
        } catch (JsonParseException e) {
            throw SerializationErrors.malformed(format);
        } catch (IOException e) {
            throw SerializationErrors.malformed(format);
        }
    }

    /** Reads the value at the parser's current token; null for an explicit null. */
    private JsonNode read(JsonParser p, Shape shape, WireFormat format) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        switch (shape.type()) {
            case STRUCTURE: {
                expect(p, t == JsonToken.START_OBJECT, shape);
                ObjectNode node = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    Shape.Member member = shape.members().get(field);
                    if (member == null) {
                        p.skipChildren();
                        continue;
                    }
                    JsonNode value = read(p, member.shape(), format);
                    if (value != null) {
                        node.set(field, value);
                    }
                }
                return node;
            }
            case LIST: {
                expect(p, t == JsonToken.START_ARRAY, shape);
                ArrayNode node = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    JsonNode value = read(p, shape.listMember(), format);
                    node.add(value == null ? NODES.nullNode() : value);
                }
                return node;
            }
            case MAP: {
                expect(p, t == JsonToken.START_OBJECT, shape);
                ObjectNode node = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    JsonNode value = read(p, shape.mapValue(), format);
                    node.set(key, value == null ? NODES.nullNode() : value);
                }
                return node;
            }
            case STRING:
                expect(p, t == JsonToken.VALUE_STRING, shape);
                return NODES.textNode(p.getText());
            case BOOLEAN:
                expect(p, t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE, shape);
                return NODES.booleanNode(t == JsonToken.VALUE_TRUE);
            case INTEGER:
            case LONG: {
                expect(p, t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT, shape);
                // Coral reads numbers as TruncatingBigNumber: fractions are floored and integers
                // clamped to the type's range, then constraint validation reports the result.
                BigInteger v = t == JsonToken.VALUE_NUMBER_INT ? p.getBigIntegerValue()
                        : p.getDecimalValue().setScale(0, java.math.RoundingMode.FLOOR).toBigInteger();
                boolean isInt = shape.type() == Shape.Type.INTEGER;
                v = v.max(isInt ? INT_MIN : LONG_MIN).min(isInt ? INT_MAX : LONG_MAX);
                return isInt ? NODES.numberNode(v.intValue()) : NODES.numberNode(v.longValue());
            }
            case DOUBLE:
            case FLOAT:
                expect(p, t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT, shape);
                return NODES.numberNode(p.getDoubleValue());
            case TIMESTAMP:
                return NODES.numberNode(timestampSeconds(p, t, format, shape));
            case BLOB:
                return NODES.binaryNode(blob(p, t, format, shape));
            default:
                throw new IllegalStateException("unhandled shape type " + shape.type());
        }
    }

    private static BigDecimal timestampSeconds(JsonParser p, JsonToken t, WireFormat format, Shape shape)
            throws IOException {
        boolean number = t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT;
        expect(p, number, shape);
        BigDecimal v = p.getDecimalValue();
        if (format == WireFormat.CBOR) {
            // The AWS SDKs write CBOR timestamps as epoch milliseconds under tag 1.
            if (p instanceof CBORParser cp && cp.getCurrentTag() != -1 && cp.getCurrentTag() != 1) {
                throw SerializationErrors.wrongType(p, shape);
            }
            return v.divide(THOUSAND);
        }
        return v;
    }

    private static byte[] blob(JsonParser p, JsonToken t, WireFormat format, Shape shape) throws IOException {
        if (t == JsonToken.VALUE_EMBEDDED_OBJECT && format == WireFormat.CBOR) {
            return p.getBinaryValue();
        }
        expect(p, t == JsonToken.VALUE_STRING, shape);
        String text = p.getText();
        if (text.length() % 4 != 0) {
            throw SerializationErrors.invalidBase64(text,
                    "Base64 encoded length is expected a multiple of 4 bytes but found: " + text.length());
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw SerializationErrors.invalidBase64(text, "Invalid Base64 character");
        }
    }

    private static void expect(JsonParser p, boolean ok, Shape shape) {
        if (!ok) {
            throw SerializationErrors.wrongType(p, shape);
        }
    }
}
