package io.gitcrq.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an expression sees: the contexts by (lower-case) name, and the answers of the status functions where it is
 * evaluated (a job's {@code if:} looks at the ancestor jobs, a step's at the job so far).
 */
record Scope(Map<String, Object> contexts, boolean success, boolean failure, boolean cancelled) {

    Object evaluate(Expr expr) {
        return eval(expr);
    }

    private Object eval(Expr expr) {
        if (expr instanceof Expr.Literal lit) {
            return lit.value();
        }
        if (expr instanceof Expr.ContextRef ref) {
            return contexts.get(ref.name());
        }
        if (expr instanceof Expr.Property p) {
            return Values.property(eval(p.target()), p.name());
        }
        if (expr instanceof Expr.Index i) {
            return Values.index(eval(i.target()), eval(i.index()));
        }
        if (expr instanceof Expr.Star s) {
            return Values.star(eval(s.target()));
        }
        if (expr instanceof Expr.Not n) {
            return !Values.truthy(eval(n.operand()));
        }
        if (expr instanceof Expr.Binary b) {
            return binary(b);
        }
        return call((Expr.Call) expr);
    }

    private Object binary(Expr.Binary b) {
        Object left = eval(b.left());
        switch (b.operator()) {
            case "&&":
                return Values.truthy(left) ? eval(b.right()) : left;
            case "||":
                return Values.truthy(left) ? left : eval(b.right());
            default:
                break;
        }
        Object right = eval(b.right());
        switch (b.operator()) {
            case "==":
                return Values.looseEquals(left, right);
            case "!=":
                return !Values.looseEquals(left, right);
            default:
                Integer c = Values.compare(left, right);
                if (c == null) {
                    return false;
                }
                return switch (b.operator()) {
                    case "<" -> c < 0;
                    case "<=" -> c <= 0;
                    case ">" -> c > 0;
                    default -> c >= 0;
                };
        }
    }

    private Object call(Expr.Call call) {
        List<Object> args = new ArrayList<>();
        for (Expr arg : call.args()) {
            args.add(eval(arg));
        }
        switch (call.function()) {
            case "success":
                return success;
            case "failure":
                return failure;
            case "always":
                return true;
            case "cancelled":
                return cancelled;
            case "contains": {
                Object haystack = args.get(0);
                if (haystack instanceof List<?> list) {
                    return list.stream().anyMatch(item -> Values.looseEquals(item, args.get(1)));
                }
                return Values.toStr(haystack)
                        .toLowerCase(java.util.Locale.ROOT)
                        .contains(Values.toStr(args.get(1)).toLowerCase(java.util.Locale.ROOT));
            }
            case "startswith":
                return Values.toStr(args.get(0))
                        .toLowerCase(java.util.Locale.ROOT)
                        .startsWith(Values.toStr(args.get(1)).toLowerCase(java.util.Locale.ROOT));
            case "endswith":
                return Values.toStr(args.get(0))
                        .toLowerCase(java.util.Locale.ROOT)
                        .endsWith(Values.toStr(args.get(1)).toLowerCase(java.util.Locale.ROOT));
            case "format":
                return format(Values.toStr(args.get(0)), args.subList(1, args.size()));
            case "join": {
                String separator = args.size() > 1 ? Values.toStr(args.get(1)) : ",";
                if (args.get(0) instanceof List<?> list) {
                    List<String> parts = new ArrayList<>();
                    list.forEach(item -> parts.add(Values.toStr(item)));
                    return String.join(separator, parts);
                }
                return Values.toStr(args.get(0));
            }
            case "tojson":
                return Values.toJson(args.get(0));
            case "fromjson":
                return Values.fromJson(Values.toStr(args.get(0)));
            default:
                throw new Expr.ExpressionException("unknown function " + call.function() + "()");
        }
    }

    static String format(String pattern, List<Object> args) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '{') {
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '{') {
                    out.append('{');
                    i += 2;
                    continue;
                }
                int close = pattern.indexOf('}', i);
                if (close < 0) {
                    throw new Expr.ExpressionException("format: unclosed '{' in '" + pattern + "'");
                }
                String number = pattern.substring(i + 1, close);
                int index;
                try {
                    index = Integer.parseInt(number);
                } catch (NumberFormatException e) {
                    throw new Expr.ExpressionException("format: bad placeholder '{" + number + "}'");
                }
                if (index < 0 || index >= args.size()) {
                    throw new Expr.ExpressionException("format: no argument for {" + index + "}");
                }
                out.append(Values.toStr(args.get(index)));
                i = close + 1;
            } else if (c == '}') {
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '}') {
                    out.append('}');
                    i += 2;
                    continue;
                }
                throw new Expr.ExpressionException("format: lone '}' in '" + pattern + "'");
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
