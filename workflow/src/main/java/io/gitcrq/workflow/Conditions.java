package io.gitcrq.workflow;

import java.util.List;

/** {@code if:} values: with or without {@code ${{ }}}, implicitly {@code success() && (…)} without a status function. */
final class Conditions {

    private Conditions() {}

    /** The expression an {@code if:} stands for; null text means the default {@code success()}. */
    static Expr compile(String text) {
        Expr expr;
        if (text == null || text.isBlank()) {
            expr = new Expr.Call("success", List.of());
        } else {
            Template template = Template.parse(text);
            Expr single = template.single();
            if (single != null) {
                expr = single;
            } else if (template.hasExpressions()) {
                throw new Expr.ExpressionException(
                        "mixes text and ${{ }} — write the whole condition as one" + " expression");
            } else {
                expr = Expr.parse(text);
            }
        }
        if (!expr.callsStatusFunction()) {
            expr = new Expr.Binary("&&", new Expr.Call("success", List.of()), expr);
        }
        return expr;
    }
}
