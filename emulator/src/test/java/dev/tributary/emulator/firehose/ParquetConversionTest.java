package dev.tributary.emulator.firehose;

import static org.assertj.core.api.Assertions.assertThat;

import blue.strategic.parquet.Hydrator;
import blue.strategic.parquet.ParquetReader;
import dev.tributary.firehose.RecordFormat;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ParquetConversionTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a Parquet file back with parquet-hadoop's reader: one map per row. */
    static List<Map<String, Object>> read(File f) throws Exception {
        try (Stream<Map<String, Object>> rows = ParquetReader.streamContent(f, new Hydrator<Map<String, Object>,
                Map<String, Object>, String[]>() {
            @Override
            public Map<String, Object> start() {
                return new LinkedHashMap<>();
            }

            @Override
            public Map<String, Object> add(Map<String, Object> target, String[] heading, Object value) {
                target.put(heading[0], value);
                return target;
            }

            @Override
            public Map<String, Object> finish(Map<String, Object> target) {
                return target;
            }
        }, h -> h)) {
            return rows.toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SNAPPY", "UNCOMPRESSED"})
    void jsonRecordsBecomeParquetRowsWithDerivedColumns(String compression) throws Exception {
        ParquetConversion p = new ParquetConversion(compression, true, false, Map.of(), "{}");
        RecordFormat.Converted c = p.convert(List.of(
                b("{\"Id\":1,\"name\":\"a\",\"price\":2,\"ok\":true,\"tags\":[1,2]}"),
                b("{\"Id\":2,\"name\":null,\"price\":2.5,\"extra\":{\"x\":1}}"),
                b("not json"), b("[1]")));
        assertThat(c.failures()).extracting(RecordFormat.Failure::index, RecordFormat.Failure::errorCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, "DataFormatConversion.ParseError"),
                        org.assertj.core.groups.Tuple.tuple(3, "DataFormatConversion.MalformedData"));
        assertThat(new String(c.object(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
        File f = dir.resolve("x.parquet").toFile();
        Files.write(f.toPath(), c.object());
        ParquetMetadata meta = ParquetReader.readMetadata(f);
        assertThat(meta.getFileMetaData().getSchema().toString()).isEqualTo("message firehose {\n"
                + "  optional int64 id;\n  optional binary name (STRING);\n  optional double price;\n"
                + "  optional boolean ok;\n  optional binary tags (STRING);\n  optional binary extra (STRING);\n}\n");
        assertThat(meta.getBlocks().get(0).getColumns().get(0).getCodec().name()).isEqualTo(compression);
        List<Map<String, Object>> rows = read(f);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("id", 1L).containsEntry("name", "a").containsEntry("price", 2.0)
                .containsEntry("ok", true).containsEntry("tags", "[1,2]");
        assertThat(rows.get(1)).containsEntry("id", 2L).containsEntry("price", 2.5)
                .containsEntry("extra", "{\"x\":1}").containsEntry("name", null).containsEntry("ok", null);
    }

    @Test
    void gzipIsRefusedBecauseItNeedsHadoopsCodec() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ParquetConversion("GZIP", true, false, Map.of(), "{}"))
                .hasMessage("Tributary writes Parquet with SNAPPY or UNCOMPRESSED compression, not GZIP.");
    }

    @Test
    void serDeOptionsRenameColumns() throws Exception {
        ParquetConversion p = new ParquetConversion(null, false, true, Map.of("ts", "event_time"), "{}");
        RecordFormat.Converted c = p.convert(List.of(b("{\"a.B\":\"x\",\"event_time\":5}")));
        File f = dir.resolve("y.parquet").toFile();
        Files.write(f.toPath(), c.object());
        assertThat(read(f)).containsExactly(Map.of("a_B", "x", "ts", 5L));
    }
}
