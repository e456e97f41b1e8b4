package dev.tributary.emulator.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The Jackson mappers of the AWS JSON protocol, one per wire format. Request and response
 * records use Java names ({@code streamName}); the mappers turn them into AWS's member names
 * ({@code StreamName}). Absent members are omitted, never written as {@code null}. Timestamps are
 * epoch seconds with a fraction in JSON, and epoch milliseconds under CBOR tag 1 in CBOR; blobs are
 * base64 strings in JSON and byte strings in CBOR.
 *
 * <p>Thread-safe.
 */
public final class AwsMappers {
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    private final ObjectMapper json;
    private final ObjectMapper cbor;

    public AwsMappers() {
        this.json = configure(JsonMapper.builder()).build();
        this.cbor = configure(CBORMapper.builder(CBORFactory.builder().build())).build();
    }

    private static <M extends ObjectMapper, B extends com.fasterxml.jackson.databind.cfg.MapperBuilder<M, B>> B configure(B b) {
        SimpleModule time = new SimpleModule("aws-time");
        time.addSerializer(Instant.class, new InstantSerializer());
        time.addDeserializer(Instant.class, new InstantDeserializer());
        return b.propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
                .serializationInclusion(JsonInclude.Include.NON_ABSENT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
                .addModule(time);
    }

    /** The mapper for a wire format. */
    public ObjectMapper mapper(WireFormat format) {
        return format == WireFormat.CBOR ? cbor : json;
    }

    /** The JSON mapper, also used to turn decoded trees into request records. */
    public ObjectMapper json() {
        return json;
    }

    /** Writes an {@link Instant} as AWS does per wire format. */
    static final class InstantSerializer extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            if (gen instanceof CBORGenerator cbor) {
                cbor.writeTag(1);
                cbor.writeNumber(value.toEpochMilli());
            } else {
                gen.writeNumber(BigDecimal.valueOf(value.toEpochMilli()).divide(THOUSAND));
            }
        }
    }

    /** Reads the decimal epoch seconds that {@link ModelDecoder} normalizes timestamps to. */
    static final class InstantDeserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                BigDecimal seconds = p.getDecimalValue();
                BigDecimal millis = seconds.multiply(THOUSAND);
                return Instant.ofEpochMilli(millis.longValue());
            }
            if (t == JsonToken.VALUE_EMBEDDED_OBJECT && p.getEmbeddedObject() instanceof Instant i) {
                return i;
            }
            return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
        }
    }
}
