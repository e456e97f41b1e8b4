package dev.tributary.emulator.firehose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.firehose.RecordFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Record format conversion JSON to Parquet ({@code ParquetSerDe}), with one deliberate difference
 * from AWS: there is no Glue Data Catalog here, so the {@code SchemaConfiguration}'s table is not
 * read. The columns are derived from the records of each object instead: every top-level key of
 * the batch's JSON objects, in first-seen order, each an optional column typed by its values
 * (booleans {@code BOOLEAN}; integers {@code INT64}; other numbers {@code DOUBLE}, integers
 * widened; strings, objects, arrays and mixed types a UTF-8 {@code BINARY} string, objects and
 * arrays as their JSON text). Column names follow the OpenX JSON SerDe: lower-cased unless
 * {@code CaseInsensitive} is false, dots turned into underscores with
 * {@code ConvertDotsInJsonKeysToUnderscores}, renamed by {@code ColumnToJsonKeyMappings}.
 *
 * <p>A record that is not JSON fails with {@code DataFormatConversion.ParseError}, one that is not
 * a JSON object with {@code DataFormatConversion.MalformedData}; the engine writes them under the
 * error prefix ({@code format-conversion-failed}). The file's compression is the
 * {@code ParquetSerDe}'s ({@code SNAPPY} by default or {@code UNCOMPRESSED}; {@code GZIP} is refused: parquet-hadoop's GZIP
 * codec needs Hadoop). Written
 * with parquet-hadoop's example writer and parquet-floor's Hadoop stand-ins, without Hadoop.
 * Stateless apart from its settings; thread-safe.
 */
public final class ParquetConversion implements RecordFormat {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CompressionCodecName codec;
    private final boolean caseInsensitive;
    private final boolean dotsToUnderscores;
    /** JSON key (as the SerDe sees it) to column name, inverted from ColumnToJsonKeyMappings. */
    private final Map<String, String> keyToColumn;
    private final String dataCatalogTable;

    public ParquetConversion(String compression, boolean caseInsensitive, boolean dotsToUnderscores,
                             Map<String, String> columnToJsonKey, String dataCatalogTableJson) {
        this.codec = switch (compression == null ? "SNAPPY" : compression) {
            case "SNAPPY" -> CompressionCodecName.SNAPPY;
            case "UNCOMPRESSED" -> CompressionCodecName.UNCOMPRESSED;
            // parquet-hadoop's GZIP codec is Hadoop's own, which is not here.
            default -> throw new IllegalArgumentException("Tributary writes Parquet with SNAPPY or UNCOMPRESSED"
                    + " compression, not " + compression + ".");
        };
        this.caseInsensitive = caseInsensitive;
        this.dotsToUnderscores = dotsToUnderscores;
        this.keyToColumn = new LinkedHashMap<>();
        columnToJsonKey.forEach((column, key) -> keyToColumn.put(key, column));
        this.dataCatalogTable = dataCatalogTableJson;
    }

    @Override
    public String extension() {
        return ".parquet";
    }

    @Override
    public String dataCatalogTableJson() {
        return dataCatalogTable;
    }

    private enum Kind {
        BOOLEAN, LONG, DOUBLE, STRING
    }

    @Override
    public Converted convert(List<byte[]> records) {
        List<Failure> failures = new ArrayList<>();
        List<Map<String, JsonNode>> rows = new ArrayList<>();
        List<Integer> rowIndexes = new ArrayList<>();
        Map<String, Kind> columns = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode node;
            try {
                node = JSON.readTree(records.get(i));
            } catch (IOException e) {
                failures.add(new Failure(i, "DataFormatConversion.ParseError",
                        "Encountered malformed JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
                continue;
            }
            if (node == null || !node.isObject()) {
                failures.add(new Failure(i, "DataFormatConversion.MalformedData",
                        "The record is not a JSON object, so it does not match any table schema."));
                continue;
            }
            Map<String, JsonNode> row = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String column = column(e.getKey());
                JsonNode v = e.getValue();
                row.put(column, v);
                if (!v.isNull()) {
                    columns.merge(column, kind(v), ParquetConversion::widen);
                }
            }
            rows.add(row);
            rowIndexes.add(i);
        }
        if (columns.isEmpty()) {
            for (int i : rowIndexes) {
                failures.add(new Failure(i, "DataFormatConversion.MalformedData",
                        "The record has no values to write as columns."));
            }
            return new Converted(null, failures);
        }
        return new Converted(write(columns, rows), failures);
    }

    private String column(String key) {
        String k = dotsToUnderscores ? key.replace('.', '_') : key;
        String mapped = keyToColumn.get(k);
        if (mapped != null) {
            return mapped;
        }
        return caseInsensitive ? k.toLowerCase(Locale.ROOT) : k;
    }

    private static Kind kind(JsonNode v) {
        if (v.isBoolean()) {
            return Kind.BOOLEAN;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return Kind.LONG;
        }
        if (v.isNumber()) {
            return Kind.DOUBLE;
        }
        return Kind.STRING;
    }

    private static Kind widen(Kind a, Kind b) {
        if (a == b) {
            return a;
        }
        if ((a == Kind.LONG && b == Kind.DOUBLE) || (a == Kind.DOUBLE && b == Kind.LONG)) {
            return Kind.DOUBLE;
        }
        return Kind.STRING;
    }

    /** The Parquet schema of the derived columns (all optional). */
    static MessageType schema(Map<String, Kind> columns) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        columns.forEach((name, kind) -> {
            switch (kind) {
                case BOOLEAN -> b.optional(PrimitiveTypeName.BOOLEAN).named(name);
                case LONG -> b.optional(PrimitiveTypeName.INT64).named(name);
                case DOUBLE -> b.optional(PrimitiveTypeName.DOUBLE).named(name);
                case STRING -> b.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
            }
        });
        return b.named("firehose");
    }

    private byte[] write(Map<String, Kind> columns, List<Map<String, JsonNode>> rows) {
        MessageType schema = schema(columns);
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        Path tmp = null;
        try {
            tmp = Files.createTempFile("tributary-", ".parquet");
            try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(tmp))
                    .withConf(new PlainParquetConfiguration()).withType(schema).withCompressionCodec(codec)
                    .withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build()) {
                for (Map<String, JsonNode> row : rows) {
                    Group g = groups.newGroup();
                    row.forEach((name, v) -> {
                        if (v.isNull()) {
                            return;
                        }
                        switch (columns.get(name)) {
                            case BOOLEAN -> g.add(name, v.booleanValue());
                            case LONG -> g.add(name, v.longValue());
                            case DOUBLE -> g.add(name, v.doubleValue());
                            case STRING -> g.add(name, v.isTextual() ? v.textValue() : v.toString());
                        }
                    });
                    writer.write(g);
                }
            }
            return Files.readAllBytes(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Parquet", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    tmp.toFile().deleteOnExit();
                }
            }
        }
    }
}
