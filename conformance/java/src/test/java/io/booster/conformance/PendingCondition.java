package io.booster.conformance;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Skips {@link Pending} scenarios unless they were asked for. */
public final class PendingCondition implements ExecutionCondition {
    static boolean pendingWanted() {
        return Boolean.getBoolean("conformance.pending")
                || System.getProperty("conformance.groups", "").contains("pending");
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext ctx) {
        Optional<AnnotatedElement> el = ctx.getElement();
        if (el.isEmpty()) {
            return ConditionEvaluationResult.enabled("no element");
        }
        Optional<Pending> p = AnnotationSupport.findAnnotation(el.get(), Pending.class);
        if (p.isEmpty() || pendingWanted()) {
            return ConditionEvaluationResult.enabled("not pending");
        }
        return ConditionEvaluationResult.disabled("pending: " + p.get().value());
    }
}
