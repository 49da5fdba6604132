package org.wwi.sample;

import static java.util.Objects.requireNonNull;

/** A nullable column of a Spark DataFrame. */
record SparkColumn(String name, SparkType type) {
    SparkColumn {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}
