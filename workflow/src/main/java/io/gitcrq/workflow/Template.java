package io.gitcrq.workflow;

import java.util.ArrayList;
import java.util.List;

/** A string with {@code ${{ … }}} parts, parsed once. */
final class Template {

    private final List<Object> parts; // String or Expr
    private final String raw;

    private Template(String raw, List<Object> parts) {
        this.raw = raw;
        this.parts = parts;
    }

    static Template parse(String text) {
        List<Object> parts = new ArrayList<>();
        int i = 0;
        StringBuilder literal = new StringBuilder();
        while (i < text.length()) {
            int open = text.indexOf("${{", i);
            if (open < 0) {
                literal.append(text, i, text.length());
                break;
            }
            literal.append(text, i, open);
            int close = findClose(text, open + 3);
            if (close < 0) {
                throw new Expr.ExpressionException("'${{' without a closing '}}' in '" + abbreviate(text) + "'");
            }
            if (literal.length() > 0) {
                parts.add(literal.toString());
                literal.setLength(0);
            }
            String inner = text.substring(open + 3, close);
            if (inner.isBlank()) {
                throw new Expr.ExpressionException("empty expression '${{ }}' in '" + abbreviate(text) + "'");
            }
            parts.add(Expr.parse(inner));
            i = close + 2;
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        return new Template(text, List.copyOf(parts));
    }

    /** The index of the {@code }}} closing an expression that starts at {@code from}, skipping 'strings'. */
    private static int findClose(String text, int from) {
        boolean inString = false;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                inString = !inString; // '' inside a string toggles twice
            } else if (!inString && c == '}' && i + 1 < text.length() && text.charAt(i + 1) == '}') {
                return i;
            }
        }
        return -1;
    }

    private static String abbreviate(String s) {
        String oneLine = s.strip().replace('\n', ' ');
        return oneLine.length() > 80 ? oneLine.substring(0, 77) + "..." : oneLine;
    }

    boolean hasExpressions() {
        return parts.stream().anyMatch(p -> p instanceof Expr);
    }

    /** The single expression when the whole text (but surrounding blanks) is one {@code ${{ … }}}, else null. */
    Expr single() {
        List<Object> nonBlank = parts.stream()
                .filter(p -> !(p instanceof String s && s.isBlank()))
                .toList();
        return nonBlank.size() == 1 && nonBlank.get(0) instanceof Expr e ? e : null;
    }

    boolean reads(String context) {
        return parts.stream().anyMatch(p -> p instanceof Expr e && e.reads(context));
    }

    /** Interpolates: each expression's value as a string. */
    String render(Scope scope) {
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof String s) {
                out.append(s);
            } else {
                out.append(Values.toStr(scope.evaluate((Expr) part)));
            }
        }
        return out.toString();
    }

    /** A single expression keeps its type (number, array…); anything else renders to a string. */
    Object value(Scope scope) {
        Expr single = single();
        if (single != null) {
            return scope.evaluate(single);
        }
        return render(scope);
    }

    String raw() {
        return raw;
    }
}
