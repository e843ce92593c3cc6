package io.booster.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A scenario only the 5.x client can play (reported as "n/a" for 4.9.x). */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(Client5Only.Condition.class)
public @interface Client5Only {
    /** What 4.9.x lacks. */
    String value();

    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext ctx) {
            var a = ctx.getElement().flatMap(e -> org.junit.platform.commons.support.AnnotationSupport.findAnnotation(e, Client5Only.class));
            if (a.isEmpty() || Clients.is5()) {
                return ConditionEvaluationResult.enabled("client " + Clients.VERSION);
            }
            return ConditionEvaluationResult.disabled("n/a: client " + Clients.VERSION + " has no " + a.get().value());
        }
    }
}
