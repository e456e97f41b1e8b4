package dev.tributary.analytics.exec;

import dev.tributary.analytics.Column;
import dev.tributary.analytics.sql.Ast;
import dev.tributary.analytics.sql.SqlException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names visible to an expression: columns of the input row (each with the qualifiers that
 * reach it, such as the stream name and its alias), plus expressions already computed by an
 * operator (aggregates, grouping keys, window functions) that resolve to a slot of the row.
 */
final class Scope {
    record Entry(List<String> qualifiers, String name, int index, Column column, boolean hidden) {
    }

    final List<Entry> entries = new ArrayList<>();
    /** Canonical text of an expression -> slot, for GROUP BY keys and aggregates. */
    final Map<String, Integer> computed = new HashMap<>();
    /** Specific syntax nodes -> slot, for OVER calls. */
    final Map<Ast.Expr, Integer> nodes = new IdentityHashMap<>();
    /** When non-null, a plain column outside {@link #computed} is an error (aggregate context). */
    String groupingError;

    int width() {
        int w = 0;
        for (Entry e : entries) {
            w = Math.max(w, e.index() + 1);
        }
        return w;
    }

    void add(List<String> qualifiers, String name, int index, Column column, boolean hidden) {
        entries.add(new Entry(qualifiers, name, index, column, hidden));
    }

    List<Entry> visible() {
        return entries.stream().filter(e -> !e.hidden()).toList();
    }

    /** Resolves the longest usable prefix of a dotted name; returns the entry and how many parts it used. */
    ResolvedName resolve(Ast.Column c) {
        List<String> parts = c.parts();
        if (parts.size() >= 2) {
            Entry e = find(parts.get(0), parts.get(1), c);
            if (e != null) {
                return new ResolvedName(e, 2);
            }
        }
        Entry e = find(null, parts.get(0), c);
        if (e != null) {
            return new ResolvedName(e, 1);
        }
        throw new SqlException(c.pos().line(), c.pos().column(), "Column '" + String.join(".", parts) + "' not found in any table");
    }

    private Entry find(String qualifier, String name, Ast.Column c) {
        Entry found = null;
        for (Entry e : entries) {
            if (e.name().equals(name) && (qualifier == null || e.qualifiers().contains(qualifier))) {
                if (found != null && found.index() != e.index()) {
                    throw new SqlException(c.pos().line(), c.pos().column(), "Column '" + name + "' is ambiguous");
                }
                found = e;
            }
        }
        return found;
    }

    record ResolvedName(Entry entry, int used) {
    }
}
