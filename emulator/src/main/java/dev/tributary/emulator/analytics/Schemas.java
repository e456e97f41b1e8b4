package dev.tributary.emulator.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.analytics.AnalyticsException;
import dev.tributary.analytics.InputSchema;
import dev.tributary.analytics.RecordColumn;
import dev.tributary.analytics.RecordFormat;
import dev.tributary.emulator.protocol.AwsException;
import java.util.ArrayList;
import java.util.List;

/** Converts the API's {@code SourceSchema} JSON into the engine's {@link InputSchema}. */
final class Schemas {
    private Schemas() {
    }

    static InputSchema toEngine(JsonNode sourceSchema) {
        JsonNode format = sourceSchema.path("RecordFormat");
        String type = format.path("RecordFormatType").asText();
        RecordFormat rf;
        if (type.equals("JSON")) {
            rf = RecordFormat.json(format.path("MappingParameters").path("JSONMappingParameters").path("RecordRowPath").asText("$"));
        } else if (type.equals("CSV")) {
            JsonNode csv = format.path("MappingParameters").path("CSVMappingParameters");
            rf = RecordFormat.csv(csv.path("RecordColumnDelimiter").asText(","), csv.path("RecordRowDelimiter").asText("\n"));
        } else {
            throw new AwsException(AnalyticsError.INVALID_ARGUMENT, "RecordFormatType must be JSON or CSV");
        }
        String encoding = sourceSchema.path("RecordEncoding").asText("UTF-8");
        if (!encoding.equals("UTF-8")) {
            throw new AwsException(AnalyticsError.INVALID_ARGUMENT, "RecordEncoding must be UTF-8");
        }
        List<RecordColumn> cols = new ArrayList<>();
        for (JsonNode c : sourceSchema.path("RecordColumns")) {
            cols.add(new RecordColumn(c.path("Name").asText(), c.path("SqlType").asText(),
                    c.hasNonNull("Mapping") ? c.get("Mapping").asText() : null));
        }
        try {
            InputSchema schema = new InputSchema(rf, cols);
            new dev.tributary.analytics.exec.RecordDecoder(schema, 0);
            return schema;
        } catch (AnalyticsException | IllegalArgumentException e) {
            throw new AwsException(AnalyticsError.INVALID_ARGUMENT, e.getMessage());
        }
    }
}
