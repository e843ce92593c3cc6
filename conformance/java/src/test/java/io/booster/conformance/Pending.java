package io.booster.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A scenario whose Booster feature is not implemented yet (value says which).
 * It carries the JUnit tag "pending" and is skipped (reported as "pending:
 * ...") unless pending scenarios are asked for: -Dgroups=pending runs only
 * them, -Dconformance.pending=true runs them with the rest. Remove the
 * annotation when the feature lands.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("pending")
@ExtendWith(PendingCondition.class)
public @interface Pending {
    /** The missing Booster feature (request codes). */
    String value();
}
