package dev.tributary.analytics;

import dev.tributary.analytics.sql.Ast.TypeSpec;

/** A column of an in-application stream or table. */
public record Column(String name, TypeSpec type) {
    @Override
    public String toString() {
        return '"' + name + "\" " + type;
    }
}
