package dev.tributary.emulator.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A small HTML builder for the console's server-rendered pages. Every piece of user data (stream
 * names, partition keys, record data, attribute values) goes through {@link #text} or
 * {@link #attr}, which escape it; {@link #raw} is for markup this package writes itself.
 *
 * <p>Not thread-safe: one per page being rendered.
 */
final class Html {
    private final StringBuilder sb = new StringBuilder(4096);

    /** Escapes text for element content and quoted attribute values alike. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (rep != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                out.append(rep != null ? rep : String.valueOf(c));
            }
        }
        return out == null ? s : out.toString();
    }

    /** A query-string value (percent-encoded; still escaped when written into an attribute). */
    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    Html raw(String markup) {
        sb.append(markup);
        return this;
    }

    Html text(Object value) {
        sb.append(escape(String.valueOf(value)));
        return this;
    }

    /** {@code <tag>escaped text</tag>}. */
    Html el(String tag, Object value) {
        return raw("<" + tag + ">").text(value).raw("</" + tag + ">");
    }

    /** {@code <a href="...">escaped text</a>}; the href is escaped too. */
    Html link(String href, Object label) {
        return raw("<a href=\"").raw(escape(href)).raw("\">").text(label).raw("</a>");
    }

    /** Writes {@code name="escaped value"} with a leading space. */
    Html attr(String name, Object value) {
        return raw(" ").raw(name).raw("=\"").raw(escape(String.valueOf(value))).raw("\"");
    }

    /** A table with a header row; each cell of {@code rows} is escaped text unless it is {@link Markup}. */
    Html table(String cssClass, List<String> headers, List<List<Object>> rows) {
        raw("<table class=\"").raw(cssClass).raw("\"><thead><tr>");
        headers.forEach(h -> el("th", h));
        raw("</tr></thead><tbody>");
        for (List<Object> row : rows) {
            raw("<tr>");
            for (Object cell : row) {
                raw("<td>");
                if (cell instanceof Markup m) {
                    raw(m.html());
                } else {
                    text(cell == null ? "" : cell);
                }
                raw("</td>");
            }
            raw("</tr>");
        }
        return raw("</tbody></table>");
    }

    /** Already-escaped markup for a table cell. */
    record Markup(String html) {
        static Markup link(String href, Object label) {
            return new Markup(new Html().link(href, label).toString());
        }
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
