package dev.tributary.analytics.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits KDA SQL into tokens. Unquoted identifiers and keywords are upper-cased (KDA, like Oracle
 * lexing, folds unquoted names); double-quoted identifiers keep their case; {@code --} and
 * {@code /* *}{@code /} comments are skipped.
 */
final class Lexer {
    private static final String TWO_CHAR = "<=>=<>!=||";

    private Lexer() {
    }

    static List<Token> tokenize(String sql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int line = 1;
        int lineStart = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\n') {
                i++;
                line++;
                lineStart = i;
                continue;
            }
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int col = i - lineStart + 1;
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new SqlException(line, col, "Unterminated comment");
                }
                for (int k = i; k < end; k++) {
                    if (sql.charAt(k) == '\n') {
                        line++;
                        lineStart = k + 1;
                    }
                }
                i = end + 2;
                continue;
            }
            if (Character.isLetter(c) || c == '_' || c == '$') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
                    i++;
                }
                out.add(new Token(Token.Kind.IDENT, sql.substring(start, i).toUpperCase(Locale.ROOT), line, col));
                continue;
            }
            if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
                int start = i;
                while (i < n && (Character.isDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
                    i++;
                }
                if (i < n && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
                    i++;
                    if (i < n && (sql.charAt(i) == '+' || sql.charAt(i) == '-')) {
                        i++;
                    }
                    while (i < n && Character.isDigit(sql.charAt(i))) {
                        i++;
                    }
                }
                out.add(new Token(Token.Kind.NUMBER, sql.substring(start, i), line, col));
                continue;
            }
            if (c == '\'' || c == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new SqlException(line, col, c == '"' ? "Unterminated quoted identifier" : "Unterminated string literal");
                    }
                    char d = sql.charAt(i);
                    if (d == c) {
                        if (i + 1 < n && sql.charAt(i + 1) == c) {
                            sb.append(c);
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (d == '\n') {
                        line++;
                        lineStart = i + 1;
                    }
                    sb.append(d);
                    i++;
                }
                out.add(new Token(c == '"' ? Token.Kind.QUOTED : Token.Kind.STRING, sb.toString(), line, col));
                continue;
            }
            if (i + 1 < n) {
                String two = sql.substring(i, i + 2);
                int at = TWO_CHAR.indexOf(two);
                if (at >= 0 && at % 2 == 0) {
                    out.add(new Token(Token.Kind.SYMBOL, two, line, col));
                    i += 2;
                    continue;
                }
            }
            if ("(),.;*+-/=<>%[]".indexOf(c) >= 0) {
                out.add(new Token(Token.Kind.SYMBOL, String.valueOf(c), line, col));
                i++;
                continue;
            }
            throw new SqlException(line, col, "Unexpected character '" + c + "'");
        }
        out.add(new Token(Token.Kind.EOF, "<EOF>", line, n - lineStart + 1));
        return out;
    }
}
