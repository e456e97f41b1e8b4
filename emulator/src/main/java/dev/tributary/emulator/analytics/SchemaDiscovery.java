package dev.tributary.emulator.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.protocol.AwsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Infers a JSON {@code SourceSchema} from sample records, as DiscoverInputSchema does: one column
 * per scalar field (nested objects give {@code $.a.b} mappings), VARCHAR(n) with n the longest
 * value rounded up to a power of two (the getting-started demo's VARCHAR(4) and VARCHAR(16)),
 * INTEGER or BIGINT for whole numbers, REAL for fractions, BOOLEAN; mixed types become VARCHAR.
 */
final class SchemaDiscovery {
    static final int MAX_SAMPLES = 100;

    private SchemaDiscovery() {
    }

    private static final class Col {
        final String name;
        final String path;
        String type;
        int length = 1;

        Col(String name, String path) {
            this.name = name;
            this.path = path;
        }
    }

    static ObjectNode discover(ObjectMapper json, List<byte[]> samples) {
        Map<String, Col> cols = new LinkedHashMap<>();
        List<JsonNode> parsed = new ArrayList<>();
        ArrayNode raw = json.createArrayNode();
        for (byte[] s : samples) {
            raw.add(new String(s, StandardCharsets.UTF_8));
            try {
                JsonNode n = json.readTree(s);
                if (n != null && n.isObject()) {
                    parsed.add(n);
                    collect(n, "$", cols);
                }
            } catch (IOException e) {
                // not JSON: skipped, as a sample that does not fit
            }
        }
        if (cols.isEmpty()) {
            throw new AwsException(AnalyticsError.UNABLE_TO_DETECT_SCHEMA, "Unable to detect a schema: no JSON object records in "
                    + samples.size() + " sampled records");
        }
        ObjectNode out = json.createObjectNode();
        ObjectNode schema = out.putObject("InputSchema");
        ObjectNode format = schema.putObject("RecordFormat");
        format.put("RecordFormatType", "JSON");
        format.putObject("MappingParameters").putObject("JSONMappingParameters").put("RecordRowPath", "$");
        schema.put("RecordEncoding", "UTF-8");
        ArrayNode columns = schema.putArray("RecordColumns");
        for (Col c : cols.values()) {
            if (c.type == null) {
                c.type = "VARCHAR";
            }
            String type = c.type.equals("VARCHAR") ? "VARCHAR(" + Integer.highestOneBit(Math.max(1, c.length - 1) * 2) + ")" : c.type;
            if (c.type.equals("VARCHAR") && c.length == 1) {
                type = "VARCHAR(1)";
            }
            columns.addObject().put("Name", c.name).put("Mapping", c.path).put("SqlType", type);
        }
        ArrayNode rows = out.putArray("ParsedInputRecords");
        for (JsonNode n : parsed) {
            ArrayNode row = rows.addArray();
            for (Col c : cols.values()) {
                JsonNode v = n.at(c.path.substring(1).replace('.', '/'));
                row.add(v.isMissingNode() || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString());
            }
        }
        out.set("RawInputRecords", raw);
        out.set("ProcessedInputRecords", raw.deepCopy());
        return out;
    }

    private static void collect(JsonNode node, String path, Map<String, Col> cols) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String p = path + "." + f.getKey();
            JsonNode v = f.getValue();
            if (v.isObject()) {
                collect(v, p, cols);
                continue;
            }
            Col c = cols.get(p);
            if (c == null) {
                String name = f.getKey();
                while (true) {
                    String candidate = name;
                    if (cols.values().stream().noneMatch(x -> x.name.equals(candidate))) {
                        break;
                    }
                    name = name + "_" + (cols.size() + 1);
                }
                c = new Col(name, p);
                cols.put(p, c);
            }
            String t = v.isNull() ? null : v.isBoolean() ? "BOOLEAN" : v.isIntegralNumber() ? (v.canConvertToInt() ? "INTEGER" : "BIGINT")
                    : v.isNumber() ? "REAL" : "VARCHAR";
            if (t == null) {
                continue;
            }
            c.length = Math.max(c.length, v.isTextual() ? v.textValue().length() : v.toString().length());
            c.type = merge(c.type, t);
        }
    }

    private static String merge(String a, String b) {
        if (a == null || a.equals(b)) {
            return b;
        }
        if ((a.equals("INTEGER") || a.equals("BIGINT")) && (b.equals("INTEGER") || b.equals("BIGINT"))) {
            return "BIGINT";
        }
        if (List.of("INTEGER", "BIGINT", "REAL").contains(a) && List.of("INTEGER", "BIGINT", "REAL").contains(b)) {
            return "REAL";
        }
        return "VARCHAR";
    }
}
