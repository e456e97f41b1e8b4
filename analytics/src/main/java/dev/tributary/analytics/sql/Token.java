package dev.tributary.analytics.sql;

/** One lexical token with its 1-based position. */
record Token(Kind kind, String text, int line, int column) {
    enum Kind { IDENT, QUOTED, STRING, NUMBER, SYMBOL, EOF }

    boolean is(String word) {
        return (kind == Kind.IDENT || kind == Kind.SYMBOL) && text.equals(word);
    }
}
