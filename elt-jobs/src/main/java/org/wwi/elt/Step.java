package org.wwi.elt;

import java.util.List;

/**
 * A step of a {@link Pipeline}: {@code load}, {@code sql}, {@code merge}, {@code scd2}, {@code test}
 * or {@code refresh} (docs/ELT.md, "Step kinds").
 */
public sealed interface Step permits Steps.Load, Steps.Sql, Steps.Merge, Steps.Scd2, Steps.Test, Steps.Refresh {

    /** Unique within its pipeline. */
    String name();

    /** {@code load}, {@code sql}, {@code merge}, {@code scd2}, {@code test} or {@code refresh}. */
    String kind();

    /** The steps that must succeed first. */
    List<String> dependsOn();

    /** One line for {@code wwi elt list}, e.g. {@code ext.weblogs -> stg.weblog}. */
    String describe();
}
