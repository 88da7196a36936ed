package io.gitcrq.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An Actions expression (the inside of {@code ${{ … }}}), parsed: literals ({@code null}, booleans, numbers, 'strings'),
 * context references with {@code .name}, {@code ['name']}, {@code [0]} and {@code .*}, {@code ! == != < <= > >= && ||},
 * parentheses and function calls.
 */
sealed interface Expr {

    /** Context names an expression may start from. */
    Set<String> CONTEXTS = Set.of(
            "github",
            "env",
            "vars",
            "secrets",
            "inputs",
            "matrix",
            "strategy",
            "needs",
            "steps",
            "job",
            "jobs",
            "runner");

    /** Status functions; an {@code if:} naming none of them is read as {@code success() && (…)}. */
    Set<String> STATUS_FUNCTIONS = Set.of("success", "failure", "always", "cancelled");

    record Literal(Object value) implements Expr {}

    record ContextRef(String name) implements Expr {}

    record Property(Expr target, String name) implements Expr {}

    record Index(Expr target, Expr index) implements Expr {}

    record Star(Expr target) implements Expr {}

    record Call(String function, List<Expr> args) implements Expr {}

    record Not(Expr operand) implements Expr {}

    record Binary(String operator, Expr left, Expr right) implements Expr {}

    /** Whether this expression calls one of {@link #STATUS_FUNCTIONS}. */
    default boolean callsStatusFunction() {
        if (this instanceof Call call) {
            if (STATUS_FUNCTIONS.contains(call.function())) {
                return true;
            }
            return call.args().stream().anyMatch(Expr::callsStatusFunction);
        }
        if (this instanceof Property p) {
            return p.target().callsStatusFunction();
        }
        if (this instanceof Index i) {
            return i.target().callsStatusFunction() || i.index().callsStatusFunction();
        }
        if (this instanceof Star s) {
            return s.target().callsStatusFunction();
        }
        if (this instanceof Not n) {
            return n.operand().callsStatusFunction();
        }
        if (this instanceof Binary b) {
            return b.left().callsStatusFunction() || b.right().callsStatusFunction();
        }
        return false;
    }

    /** Whether this expression reads the named context (e.g. "matrix"). */
    default boolean reads(String context) {
        if (this instanceof ContextRef ref) {
            return ref.name().equals(context);
        }
        if (this instanceof Call call) {
            return call.args().stream().anyMatch(a -> a.reads(context));
        }
        if (this instanceof Property p) {
            return p.target().reads(context);
        }
        if (this instanceof Index i) {
            return i.target().reads(context) || i.index().reads(context);
        }
        if (this instanceof Star s) {
            return s.target().reads(context);
        }
        if (this instanceof Not n) {
            return n.operand().reads(context);
        }
        if (this instanceof Binary b) {
            return b.left().reads(context) || b.right().reads(context);
        }
        return false;
    }

    /** Parses an expression; throws {@link ExpressionException} on a syntax error, unknown context or function. */
    static Expr parse(String text) {
        Parser parser = new Parser(text);
        Expr expr = parser.parseOr();
        parser.expectEnd();
        return expr;
    }

    /** Raised for expressions that do not parse or cannot be evaluated. */
    final class ExpressionException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ExpressionException(String message) {
            super(message);
        }
    }

    /** Recursive descent over a hand-written lexer. */
    final class Parser {
        private record Arity(int min, int max) {}

        private static final java.util.Map<String, Arity> FUNCTIONS = java.util.Map.ofEntries(
                java.util.Map.entry("success", new Arity(0, 0)),
                java.util.Map.entry("failure", new Arity(0, 0)),
                java.util.Map.entry("always", new Arity(0, 0)),
                java.util.Map.entry("cancelled", new Arity(0, 0)),
                java.util.Map.entry("contains", new Arity(2, 2)),
                java.util.Map.entry("startswith", new Arity(2, 2)),
                java.util.Map.entry("endswith", new Arity(2, 2)),
                java.util.Map.entry("format", new Arity(1, Integer.MAX_VALUE)),
                java.util.Map.entry("join", new Arity(1, 2)),
                java.util.Map.entry("tojson", new Arity(1, 1)),
                java.util.Map.entry("fromjson", new Arity(1, 1)));

        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        private ExpressionException error(String what) {
            return new ExpressionException(what + " at position " + (pos + 1) + " in '" + text.strip() + "'");
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private boolean accept(String token) {
            skipSpace();
            if (text.startsWith(token, pos)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        private void expect(String token) {
            if (!accept(token)) {
                throw error("expected '" + token + "'");
            }
        }

        void expectEnd() {
            skipSpace();
            if (pos < text.length()) {
                throw error("unexpected '" + text.charAt(pos) + "'");
            }
        }

        Expr parseOr() {
            Expr left = parseAnd();
            while (accept("||")) {
                left = new Binary("||", left, parseAnd());
            }
            return left;
        }

        private Expr parseAnd() {
            Expr left = parseEquality();
            while (accept("&&")) {
                left = new Binary("&&", left, parseEquality());
            }
            return left;
        }

        private Expr parseEquality() {
            Expr left = parseRelational();
            while (true) {
                if (accept("==")) {
                    left = new Binary("==", left, parseRelational());
                } else if (accept("!=")) {
                    left = new Binary("!=", left, parseRelational());
                } else {
                    return left;
                }
            }
        }

        private Expr parseRelational() {
            Expr left = parseUnary();
            while (true) {
                if (accept("<=")) {
                    left = new Binary("<=", left, parseUnary());
                } else if (accept(">=")) {
                    left = new Binary(">=", left, parseUnary());
                } else if (accept("<")) {
                    left = new Binary("<", left, parseUnary());
                } else if (accept(">")) {
                    left = new Binary(">", left, parseUnary());
                } else {
                    return left;
                }
            }
        }

        private Expr parseUnary() {
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == '!' && !text.startsWith("!=", pos)) {
                pos++;
                return new Not(parseUnary());
            }
            return parsePostfix(parsePrimary());
        }

        private Expr parsePostfix(Expr target) {
            while (true) {
                skipSpace();
                if (accept(".")) {
                    if (accept("*")) {
                        target = new Star(target);
                    } else {
                        String name = identifier(true);
                        if (name == null) {
                            throw error("expected a property name");
                        }
                        target = new Property(target, name);
                    }
                } else if (accept("[")) {
                    if (accept("*")) {
                        expect("]");
                        target = new Star(target);
                    } else {
                        Expr index = parseOr();
                        expect("]");
                        target = new Index(target, index);
                    }
                } else {
                    return target;
                }
            }
        }

        private String identifier(boolean property) {
            skipSpace();
            int start = pos;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                boolean ok = Character.isLetter(c)
                        || c == '_'
                        || (pos > start || property) && (Character.isDigit(c) || c == '-');
                if (!ok) {
                    break;
                }
                pos++;
            }
            return pos == start ? null : text.substring(start, pos);
        }

        private Expr parsePrimary() {
            skipSpace();
            if (pos >= text.length()) {
                throw error("unexpected end of expression");
            }
            char c = text.charAt(pos);
            if (c == '(') {
                pos++;
                Expr inner = parseOr();
                expect(")");
                return inner;
            }
            if (c == '\'') {
                return new Literal(string());
            }
            if (Character.isDigit(c)
                    || c == '-'
                    || c == '+'
                    || c == '.' && pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1))) {
                return new Literal(number());
            }
            String name = identifier(false);
            if (name == null) {
                throw error("unexpected '" + c + "'");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == '(') {
                pos++;
                List<Expr> args = new ArrayList<>();
                if (!accept(")")) {
                    do {
                        args.add(parseOr());
                    } while (accept(","));
                    expect(")");
                }
                if (lower.equals("hashfiles")) {
                    throw error("hashFiles() is not supported");
                }
                Arity arity = FUNCTIONS.get(lower);
                if (arity == null) {
                    throw error("unknown function '" + name + "'");
                }
                if (args.size() < arity.min() || args.size() > arity.max()) {
                    throw error("wrong number of arguments to " + name + "()");
                }
                return new Call(lower, List.copyOf(args));
            }
            switch (lower) {
                case "true":
                    return new Literal(Boolean.TRUE);
                case "false":
                    return new Literal(Boolean.FALSE);
                case "null":
                    return new Literal(null);
                case "nan":
                    return new Literal(Double.NaN);
                case "infinity":
                    return new Literal(Double.POSITIVE_INFINITY);
                default:
                    break;
            }
            if (!CONTEXTS.contains(lower)) {
                throw error("unknown context '" + name + "'");
            }
            return new ContextRef(lower);
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            pos++;
            while (true) {
                if (pos >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(pos++);
                if (c == '\'') {
                    if (pos < text.length() && text.charAt(pos) == '\'') {
                        out.append('\'');
                        pos++;
                    } else {
                        return out.toString();
                    }
                } else {
                    out.append(c);
                }
            }
        }

        private Double number() {
            int start = pos;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (Character.isLetterOrDigit(c)
                        || c == '.'
                        || c == '-'
                        || c == '+' && pos > start && (text.charAt(pos - 1) == 'e' || text.charAt(pos - 1) == 'E')
                        || c == '+' && pos == start) {
                    pos++;
                } else {
                    break;
                }
            }
            String literal = text.substring(start, pos);
            double value = Values.parseNumber(literal);
            if (Double.isNaN(value)) {
                throw error("bad number '" + literal + "'");
            }
            return value;
        }
    }
}
