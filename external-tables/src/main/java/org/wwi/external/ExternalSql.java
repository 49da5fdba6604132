package org.wwi.external;

import org.wwi.platform.Database;
import org.wwi.platform.WwiConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.ServiceLoader;

import static java.util.Objects.requireNonNull;

/**
 * Runs the statements of {@code wwi sql} that are not PolyBase DDL: {@code SELECT} over external
 * and warehouse tables, {@code EXPLAIN}, {@code INSERT INTO … SELECT}, CTAS, and anything else
 * meant for PostgreSQL. The DDL (CREATE/DROP EXTERNAL …, credentials, master key) never reaches it:
 * {@code wwi sql} splits the script and runs that through the catalog.
 *
 * <p>The query engine provides an implementation through {@link Provider}, registered as a
 * {@link ServiceLoader} service ({@code META-INF/services/org.wwi.external.ExternalSql$Provider});
 * without one, {@code wwi sql} sends such statements to PostgreSQL as they are.
 */
public interface ExternalSql extends AutoCloseable {

    /**
     * Runs one statement (without its terminating {@code ;}), in its own transaction.
     *
     * @param statement the statement text as the user wrote it
     * @param progress  where a long statement (a load) reports rows; {@code Progress.none()} for none
     * @return rows or an update count, and notices for the user
     * @throws ExternalException (or another {@code WwiException}) with a message for the user
     */
    Result execute(String statement, org.wwi.platform.Progress progress);

    /** Releases connections and readers; does not throw. */
    @Override
    void close();

    /**
     * What a statement returned.
     *
     * @param columns     column labels of a result set; empty for a statement without one
     * @param rows        the rows, each with one value per column (Java objects, {@code null} for NULL)
     * @param updateCount rows inserted / changed by a statement without result set
     * @param notices     messages for the user (e.g. "DISTRIBUTION = HASH(x) recorded; Citus is not installed")
     */
    record Result(List<String> columns, List<List<Object>> rows, OptionalLong updateCount, List<String> notices) {
        public Result {
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
            requireNonNull(rows, "rows is null");
            List<List<Object>> copy = new ArrayList<>(rows.size());
            for (List<Object> r : rows) {
                if (r.size() != columns.size()) {
                    throw new IllegalArgumentException("row has " + r.size() + " values for " + columns.size()
                            + " columns");
                }
                copy.add(java.util.Collections.unmodifiableList(new ArrayList<>(r)));
            }
            rows = java.util.Collections.unmodifiableList(copy);
            requireNonNull(updateCount, "updateCount is null");
            notices = List.copyOf(requireNonNull(notices, "notices is null"));
        }

        public static Result ofRows(List<String> columns, List<List<Object>> rows) {
            return new Result(columns, rows, OptionalLong.empty(), List.of());
        }

        public static Result ofCount(long count) {
            return new Result(List.of(), List.of(), OptionalLong.of(count), List.of());
        }

        /** The same result with one more notice. */
        public Result withNotice(String notice) {
            List<String> n = new ArrayList<>(notices);
            n.add(requireNonNull(notice, "notice is null"));
            return new Result(columns, rows, updateCount, n);
        }
    }

    /**
     * Where an {@link ExternalSql} runs: the database (warehouse and control schemas; the
     * default installation has both in one database), the catalog of external tables, and the
     * configuration (project folder, state folder, lake).
     */
    record Context(Database database, Catalog catalog, WwiConfig config) {
        public Context {
            requireNonNull(database, "database is null");
            requireNonNull(catalog, "catalog is null");
            requireNonNull(config, "config is null");
        }
    }

    /** Creates {@link ExternalSql} sessions; found with {@link ServiceLoader}. */
    interface Provider {
        ExternalSql open(Context context);
    }

    /** The provider on the class path, if any. */
    static java.util.Optional<Provider> provider() {
        return ServiceLoader.load(Provider.class, ExternalSql.class.getClassLoader()).findFirst();
    }
}
