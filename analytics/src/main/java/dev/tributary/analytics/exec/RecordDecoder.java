package dev.tributary.analytics.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.analytics.AnalyticsException;
import dev.tributary.analytics.Column;
import dev.tributary.analytics.InputSchema;
import dev.tributary.analytics.RecordColumn;
import dev.tributary.analytics.RecordFormat;
import dev.tributary.analytics.sql.Parser;
import dev.tributary.analytics.sql.SqlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns one source record (UTF-8 bytes) into rows of an input schema: JSON with per-column
 * JSONPath mappings under a {@code RecordRowPath}, or CSV with column and row delimiters. Values
 * are coerced to the column types; a value that cannot be coerced raises {@link SqlRuntimeError}
 * (KDA writes such rows to {@code error_stream}). Thread-safe after construction.
 */
public final class RecordDecoder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InputSchema schema;
    private final List<Column> columns;
    private final List<Object[]> paths;
    private final Object[] rowPath;
    private final int width;

    /** @param extraSlots trailing slots to leave in each row (the source stream's APPROXIMATE_ARRIVAL_TIME) */
    public RecordDecoder(InputSchema schema, int extraSlots) {
        this.schema = schema;
        List<Column> cols = new ArrayList<>();
        List<Object[]> ps = new ArrayList<>();
        for (RecordColumn c : schema.columns()) {
            try {
                cols.add(new Column(c.name(), Parser.parseType(c.sqlType())));
            } catch (SqlException e) {
                throw new AnalyticsException("Invalid SqlType '" + c.sqlType() + "' for column " + c.name());
            }
            String mapping = c.mapping() == null || c.mapping().isEmpty() ? "$." + c.name() : c.mapping();
            ps.add(parsePath(mapping));
        }
        this.columns = List.copyOf(cols);
        this.paths = ps;
        this.rowPath = parsePath(schema.format().rowPath());
        this.width = cols.size() + extraSlots;
    }

    public List<Column> columns() {
        return columns;
    }

    private static final Pattern STEP = Pattern.compile("\\.([^.\\[]+)|\\[(\\d+)]|\\['([^']*)']");

    static Object[] parsePath(String path) {
        String p = path.trim();
        if (!p.startsWith("$")) {
            p = "$." + p;
        }
        List<Object> steps = new ArrayList<>();
        java.util.regex.Matcher m = STEP.matcher(p);
        int at = 1;
        while (at < p.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new AnalyticsException("Unsupported JSONPath mapping '" + path + "'");
            }
            steps.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? (Object) Integer.parseInt(m.group(2)) : m.group(3));
            at = m.end();
        }
        return steps.toArray();
    }

    private static JsonNode navigate(JsonNode node, Object[] steps) {
        for (Object s : steps) {
            if (node == null) {
                return null;
            }
            node = s instanceof Integer i ? node.get(i) : node.get((String) s);
        }
        return node;
    }

    /** Decodes a record into one or more rows. */
    public List<Object[]> decode(byte[] data) {
        return schema.format().type() == RecordFormat.Type.JSON ? json(data) : csv(new String(data, StandardCharsets.UTF_8));
    }

    private List<Object[]> json(byte[] data) {
        JsonNode root;
        try {
            root = JSON.readTree(data);
        } catch (JsonProcessingException e) {
            throw new SqlRuntimeError("SCHEMA_MISMATCH", "Record is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SqlRuntimeError("SCHEMA_MISMATCH", "Record could not be read: " + e.getMessage());
        }
        JsonNode rows = navigate(root, rowPath);
        if (rows == null || rows.isNull()) {
            return List.of();
        }
        List<Object[]> out = new ArrayList<>(1);
        if (rows.isArray()) {
            for (JsonNode r : rows) {
                out.add(jsonRow(r));
            }
        } else {
            out.add(jsonRow(rows));
        }
        return out;
    }

    private Object[] jsonRow(JsonNode node) {
        Object[] row = new Object[width];
        for (int i = 0; i < columns.size(); i++) {
            JsonNode v = navigate(node, paths.get(i));
            row[i] = Values.cast(plain(v, columns.get(i)), columns.get(i).type());
        }
        return row;
    }

    private static Object plain(JsonNode v, Column column) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber()) {
            return v.canConvertToLong() ? (Object) v.longValue() : v.decimalValue();
        }
        if (v.isNumber()) {
            return column.type().base().equals("DECIMAL") ? v.decimalValue() : (Object) v.doubleValue();
        }
        return v.toString();
    }

    private List<Object[]> csv(String text) {
        RecordFormat f = schema.format();
        List<Object[]> out = new ArrayList<>();
        for (String line : text.split(Pattern.quote(f.rowDelimiter()))) {
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split(Pattern.quote(f.columnDelimiter()), -1);
            Object[] row = new Object[width];
            for (int i = 0; i < columns.size(); i++) {
                String s = i < fields.length ? fields[i] : null;
                row[i] = s == null || s.isEmpty() ? null : Values.cast(s, columns.get(i).type());
            }
            out.add(row);
        }
        return out;
    }
}
