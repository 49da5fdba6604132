package org.wwi.elt;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The step kinds, as read from pipeline files (validated by {@link PipelineReader}). */
final class Steps {
    private Steps() {
    }

    /** An unmodifiable copy that keeps the file's order (SQL column lists and row hashes depend on it). */
    static <K, V> Map<K, V> ordered(Map<K, V> map) {
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(map));
    }

    /** When a step after the loads runs. */
    enum When {
        /** Only when files loaded by the pipeline are waiting for it (the default of pipelines with loads). */
        NEW_DATA,
        /** Every run. */
        ALWAYS
    }

    /** How a load treats a batch of new files. */
    enum Batch {
        /** One transaction for all new files: one bad file loads nothing (the default). */
        ALL_OR_NOTHING,
        /** One transaction per file: a bad file is reported and left for the next run, the others load. */
        PER_FILE
    }

    /**
     * Loads the files of an external table that the ledger has not seen into a staging table.
     *
     * @param columns        target column to external column; empty: matched by name (user_id takes UserId)
     * @param requireSuccess only folders with Spark's {@code _SUCCESS} count
     * @param windowColumn   a partition column (date) that a run's window restricts, for backfills
     * @param maxFiles       most files per run (0: no limit)
     */
    record Load(String name, List<String> dependsOn, String from, String into, Map<String, String> columns,
                boolean requireSuccess, Optional<String> windowColumn, Batch batch, int maxFiles) implements Step {
        Load {
            requireNonNull(name, "name is null");
            dependsOn = List.copyOf(dependsOn);
            requireNonNull(from, "from is null");
            requireNonNull(into, "into is null");
            columns = ordered(columns);
            requireNonNull(windowColumn, "windowColumn is null");
            requireNonNull(batch, "batch is null");
        }

        @Override
        public String kind() {
            return "load";
        }

        @Override
        public String describe() {
            return from + " -> " + into + (batch == Batch.PER_FILE ? " (per file)" : "");
        }
    }

    /**
     * Runs a SQL file in one transaction.
     *
     * @param reads  tables it reads, declared or found in the SQL (lineage)
     * @param writes tables it writes, declared or found in the SQL (lineage)
     */
    record Sql(String name, List<String> dependsOn, When when, String file, String sql, List<String> reads,
               List<String> writes) implements Step {
        Sql {
            requireNonNull(name, "name is null");
            dependsOn = List.copyOf(dependsOn);
            requireNonNull(when, "when is null");
            requireNonNull(file, "file is null");
            requireNonNull(sql, "sql is null");
            reads = List.copyOf(reads);
            writes = List.copyOf(writes);
        }

        @Override
        public String kind() {
            return "sql";
        }

        @Override
        public String describe() {
            return file;
        }
    }

    /**
     * Upserts the new staging rows into a table by key (latest file wins per key).
     *
     * @param columns target column to staging column (key columns excluded)
     * @param set     extra assignments on update, target column to SQL expression (e.g. updated_at: now())
     */
    record Merge(String name, List<String> dependsOn, When when, String from, String into, List<String> key,
                 Map<String, String> columns, Map<String, String> set) implements Step {
        Merge {
            requireNonNull(name, "name is null");
            dependsOn = List.copyOf(dependsOn);
            requireNonNull(when, "when is null");
            requireNonNull(from, "from is null");
            requireNonNull(into, "into is null");
            key = List.copyOf(key);
            columns = ordered(columns);
            set = ordered(set);
        }

        @Override
        public String kind() {
            return "merge";
        }

        @Override
        public String describe() {
            return from + " -> " + into + " by " + String.join(", ", key);
        }
    }

    /**
     * Slowly changing dimension type 2 from the new staging rows.
     *
     * @param columns          tracked columns, target to staging
     * @param hashColumn       a column that gets md5 of the tracked values, when the table has one
     * @param closeDeleted     hard deletes: close current rows whose key is not in the batch (a full snapshot)
     * @param firstFromInfinity the first version of a key is valid from -infinity (else from the run's time)
     */
    record Scd2(String name, List<String> dependsOn, When when, String from, String into, List<String> key,
                Map<String, String> columns, String validFrom, String validTo, String isCurrent,
                Optional<String> hashColumn, boolean closeDeleted, boolean firstFromInfinity) implements Step {
        Scd2 {
            requireNonNull(name, "name is null");
            dependsOn = List.copyOf(dependsOn);
            requireNonNull(when, "when is null");
            requireNonNull(from, "from is null");
            requireNonNull(into, "into is null");
            key = List.copyOf(key);
            columns = ordered(columns);
            requireNonNull(validFrom, "validFrom is null");
            requireNonNull(validTo, "validTo is null");
            requireNonNull(isCurrent, "isCurrent is null");
            requireNonNull(hashColumn, "hashColumn is null");
        }

        @Override
        public String kind() {
            return "scd2";
        }

        @Override
        public String describe() {
            return from + " -> " + into + " by " + String.join(", ", key) + (closeDeleted ? ", hard deletes close" : "");
        }
    }

    /**
     * One data test.
     *
     * @param kind    not_null, unique, accepted_values, relationships, row_count, freshness
     * @param name    unique within the step, e.g. {@code not_null(dw.fact_web_event.customer_key)}
     * @param warn    a failure warns instead of failing the step
     * @param where   a filter of the tested rows (SQL, placeholders allowed)
     */
    record DataTest(String kind, String name, boolean warn, String table, List<String> columns, Optional<String> where,
                    List<String> values, Optional<String> toTable, Optional<String> toColumn, Optional<Long> minRows,
                    Optional<Double> maxDecreasePercent, Optional<Double> maxIncreasePercent,
                    Optional<Duration> maxAge) {
        DataTest {
            requireNonNull(kind, "kind is null");
            requireNonNull(name, "name is null");
            requireNonNull(table, "table is null");
            columns = List.copyOf(columns);
            requireNonNull(where, "where is null");
            values = List.copyOf(values);
        }
    }

    /**
     * An incremental SQL rollup: only the rows whose {@code column} is among the keys {@code changed}
     * (a query, typically over the facts of the batch's files: {@code ${batch_paths}}) are computed again;
     * the others are copied from the current table.
     */
    record Incremental(String column, String changed) {
        Incremental {
            requireNonNull(column, "column is null");
            requireNonNull(changed, "changed is null");
        }
    }

    record Test(String name, List<String> dependsOn, When when, List<DataTest> tests) implements Step {
        Test {
            requireNonNull(name, "name is null");
            dependsOn = List.copyOf(dependsOn);
            requireNonNull(when, "when is null");
            tests = List.copyOf(tests);
        }

        @Override
        public String kind() {
            return "test";
        }

        @Override
        public String describe() {
            return tests.size() + (tests.size() == 1 ? " test" : " tests");
        }
    }

    /**
     * Rebuilds a rollup: either rollups of the semantic model, or a table from a SELECT in a SQL
     * file, built as a new table and swapped in atomically.
     *
     * @param modelRollups     names of the model's rollups ("*" for all); empty for a SQL rollup
     * @param table            the SQL rollup's table (schema.name)
     * @param allowEmpty       swap in an empty result
     * @param maxShrinkPercent how much smaller than the current table the result may be (0: not at all)
     * @param incremental      rebuild only the rows of changed keys (e.g. the days a batch added), when set
     */
    record Refresh(String name, List<String> dependsOn, When when, List<String> modelRollups, Optional<String> table,
                   Optional<String> file, Optional<String> sql, List<List<String>> indexes, boolean allowEmpty,
                   double maxShrinkPercent, Optional<Incremental> incremental) implements Step {
        Refresh {
            requireNonNull(name, "name is null");
            dependsOn = List.copyOf(dependsOn);
            requireNonNull(when, "when is null");
            modelRollups = List.copyOf(modelRollups);
            requireNonNull(table, "table is null");
            requireNonNull(file, "file is null");
            requireNonNull(sql, "sql is null");
            indexes = indexes.stream().map(List::copyOf).toList();
            requireNonNull(incremental, "incremental is null");
        }

        @Override
        public String kind() {
            return "refresh";
        }

        @Override
        public String describe() {
            return table.map(t -> t + " from " + file.orElse("?")).orElse("model rollups "
                    + String.join(", ", modelRollups));
        }
    }
}
