package dev.tributary.analytics;


/** A reference data source's content: the schema and the object's bytes (CSV or JSON records). */
public record ReferenceTable(InputSchema schema, byte[] data) {
}
