package io.pollingevents.element;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The part of Open Connectors' query language (CEQL) that polling configurations use: clauses
 * {@code field op value} joined by {@code AND}, with {@code =}, {@code !=}, {@code <}, {@code >}, {@code <=} and
 * {@code >=}. Quoted values may hold URL placeholders such as {@code ${date:yyyy-MM-dd'T'HH:mm:ss}}, whose own
 * quotes do not end the value.
 */
public record Ceql(List<Clause> clauses) {
    public static final List<String> OPERATORS = List.of("=", "!=", "<", ">", "<=", ">=");

    /** One comparison; {@code value} is unquoted and may still hold placeholders. */
    public record Clause(String field, String op, String value) {
        @Override
        public String toString() {
            return field + op + "'" + value + "'";
        }
    }

    /** Parses a where clause; a clause it cannot read is an {@link IllegalArgumentException} naming it. */
    public static Ceql parse(String where) {
        List<Clause> clauses = new ArrayList<>();
        Reader in = new Reader(where);
        in.skipSpaces();
        while (!in.done()) {
            String field = in.field();
            in.skipSpaces();
            String op = in.operator(field);
            in.skipSpaces();
            String value = in.value(field + op);
            clauses.add(new Clause(field, op, value));
            in.skipSpaces();
            if (!in.done()) {
                in.keyword("AND");
                in.skipSpaces();
                if (in.done()) {
                    throw new IllegalArgumentException("where clause '" + where + "' ends with AND; add a clause after it or remove it");
                }
            }
        }
        return new Ceql(List.copyOf(clauses));
    }

    private static final class Reader {
        private final String text;
        private int pos;

        Reader(String text) {
            this.text = text == null ? "" : text;
        }

        boolean done() {
            return pos >= text.length();
        }

        void skipSpaces() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        String field() {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || "_.$".indexOf(text.charAt(pos)) >= 0)) {
                pos++;
            }
            if (start == pos) {
                throw new IllegalArgumentException("where clause '" + text + "': expected a field name at '" + rest()
                        + "'; write clauses as field op 'value' joined by AND");
            }
            return text.substring(start, pos);
        }

        String operator(String field) {
            for (String op : List.of("!=", "<=", ">=", "=", "<", ">")) {
                if (text.startsWith(op, pos)) {
                    pos += op.length();
                    return op;
                }
            }
            String word = rest().split("\\s+", 2)[0];
            throw new IllegalArgumentException("where clause '" + text + "': '" + field + "' is followed by '" + word
                    + "', not a comparison; supported are " + String.join(" ", OPERATORS)
                    + (word.equalsIgnoreCase("in") || word.equalsIgnoreCase("like") ? " (" + word.toUpperCase(Locale.ROOT) + " is not)" : ""));
        }

        String value(String clause) {
            if (done()) {
                throw new IllegalArgumentException("where clause '" + text + "': '" + clause + "' has no value; quote it, e.g. "
                        + clause + "'2024-01-01'");
            }
            char quote = text.charAt(pos);
            if (quote != '\'' && quote != '"') {
                int start = pos;
                while (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) {
                    pos++;
                }
                return text.substring(start, pos);
            }
            StringBuilder value = new StringBuilder();
            pos++;
            int depth = 0;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (depth == 0 && c == '$' && pos + 1 < text.length() && text.charAt(pos + 1) == '{') {
                    depth = 1;
                    value.append("${");
                    pos += 2;
                    continue;
                }
                if (depth > 0 && c == '}') {
                    depth = 0;
                } else if (depth == 0 && c == quote) {
                    if (pos + 1 < text.length() && text.charAt(pos + 1) == quote) {
                        value.append(quote); // a doubled quote stands for one
                        pos += 2;
                        continue;
                    }
                    pos++;
                    return value.toString();
                }
                value.append(c);
                pos++;
            }
            throw new IllegalArgumentException("where clause '" + text + "': the value of '" + clause + "' has no closing "
                    + quote + "; close the quote");
        }

        void keyword(String word) {
            if (text.regionMatches(true, pos, word, 0, word.length())
                    && (pos + word.length() == text.length() || Character.isWhitespace(text.charAt(pos + word.length())))) {
                pos += word.length();
                return;
            }
            String next = rest().split("\\s+", 2)[0];
            throw new IllegalArgumentException("where clause '" + text + "': expected AND between clauses but found '" + next + "'"
                    + (next.equalsIgnoreCase("or") ? "; OR is not supported, poll two resources instead" : ""));
        }

        private String rest() {
            return text.substring(Math.min(pos, text.length()));
        }
    }
}
