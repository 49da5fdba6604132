package org.wwi.semantic;

import org.wwi.platform.Progress;
import org.wwi.semantic.Catalog.CubeModel;
import org.wwi.semantic.Catalog.Measure;
import org.wwi.semantic.Catalog.MemberRef;
import org.wwi.semantic.Catalog.RollupModel;
import org.wwi.semantic.ModelDef.MeasureType;
import org.wwi.semantic.SemanticTable.TypeSpec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * Builds the model's rollup tables in {@code mart} from the detail tables. A build creates a new
 * table, fills it with one {@code INSERT ... SELECT} compiled by the same planner that answers
 * queries (so both give the same numbers), refuses an empty or shrunken result unless allowed,
 * and swaps it in by renaming, recording the fact high-water mark in {@code mart.rollup_state},
 * all in one transaction: readers see the old table or the new one, never a half-built one.
 */
public final class Rollups {

    /**
     * @param allowEmpty  accept a build with no rows (e.g. an empty warehouse)
     * @param allowShrink accept fewer rows than the table being replaced (facts were deleted)
     */
    public record BuildOptions(boolean allowEmpty, boolean allowShrink) {
        public static BuildOptions defaults() {
            return new BuildOptions(false, false);
        }
    }

    /** What one build did. */
    public record Build(String rollup, String table, long rows, OptionalLong previousRows, Optional<Long> highWater,
                        Duration took) {
    }

    /**
     * A rollup's state.
     *
     * @param state {@code fresh}, {@code stale} (older than its facts), {@code not built} or
     *              {@code outdated} (built from another definition of the model)
     */
    public record Status(String rollup, String cube, String table, String description, String state,
                         Optional<Instant> builtAt, OptionalLong rows, Optional<Long> builtHighWater,
                         Optional<Long> factHighWater, boolean allowStale) {
    }

    private final SemanticLayer layer;

    Rollups(SemanticLayer layer) {
        this.layer = requireNonNull(layer, "layer is null");
    }

    /** Builds one rollup (the ELT refresh step calls this per rollup). */
    public Build build(String name) {
        return build(name, BuildOptions.defaults());
    }

    public Build build(String name, BuildOptions options) {
        RollupModel r = layer.catalog.rollups.get(requireNonNull(name, "name is null"));
        if (r == null) {
            throw new SemanticException(SemanticErrorCode.ROLLUP_UNKNOWN, "Cannot build rollup '" + name
                    + "': the model has no such rollup (" + Catalog.hint(name, layer.catalog.rollups.keySet(),
                    "rollups: " + String.join(", ", layer.catalog.rollups.keySet())) + ")");
        }
        try {
            return build(r, options);
        } finally {
            layer.rollupStates.invalidate();
            layer.warehouse.refresh();
        }
    }

    /** Builds every rollup of the model, in model order. */
    public List<Build> buildAll(BuildOptions options, Progress progress) {
        List<Build> out = new ArrayList<>();
        for (String name : layer.catalog.rollups.keySet()) {
            progress.note(name);
            out.add(build(name, options));
            progress.advance(1);
        }
        return out;
    }

    public List<Status> status() {
        layer.rollupStates.invalidate();
        RollupStates.Snapshot s = layer.rollupStates.snapshot();
        List<Status> out = new ArrayList<>();
        for (RollupModel r : layer.catalog.rollups.values()) {
            RollupStates.State st = s.states().get(r.name());
            Optional<String> why = s.unusable(r);
            String state = st == null || !st.present() ? "not built"
                    : !st.fingerprint().equals(r.fingerprint()) ? "outdated"
                    : why.isPresent() ? "stale"
                    : r.allowStale() && (s.factHighWater().containsKey(r.cube()) && st.highWater().orElse(-1L)
                    < s.factHighWater().get(r.cube()) || s.changedSince(r).isPresent()) ? "stale (allowed)" : "fresh";
            out.add(new Status(r.name(), r.cube(), r.table(), r.description(), state,
                    Optional.ofNullable(st).map(RollupStates.State::builtAt),
                    st == null ? OptionalLong.empty() : OptionalLong.of(st.rows()),
                    st == null ? Optional.empty() : st.highWater(),
                    Optional.ofNullable(s.factHighWater().get(r.cube())), r.allowStale()));
        }
        return out;
    }

    /** The SQL that fills a rollup table (shown by tests and docs). */
    String buildSql(String name) {
        return buildSql(layer.catalog.rollups.get(name));
    }

    private String buildSql(RollupModel r) {
        List<MemberRef> measures = r.stored().stream().map(m -> new MemberRef(Catalog.JoinPath.ROOT, r.cube(),
                m.name())).toList();
        Bases.GeneratedSql g = Bases.detailSql(layer.catalog, r.cube(), r.dimensions(), measures, Optional.empty());
        List<String> select = new ArrayList<>();
        List<String> group = new ArrayList<>();
        for (MemberRef d : r.dimensions()) {
            String c = Catalog.quote("c" + g.dimPos().get(d));
            select.add(c + " AS " + Catalog.quote(RollupModel.dimColumn(d)));
            group.add(c);
        }
        for (MemberRef ref : measures) {
            Measure m = layer.catalog.cube(r.cube()).measures().get(ref.member());
            String in = Catalog.quote("c" + g.measurePos().get(ref)[0]);
            List<String> cols = Bases.storedColumns(m);
            switch (m.type()) {
                case SUM -> select.add("SUM(" + in + ") AS " + Catalog.quote(cols.get(0)));
                case COUNT -> select.add("COUNT(" + in + ") AS " + Catalog.quote(cols.get(0)));
                case COUNT_DISTINCT -> select.add("COUNT(DISTINCT " + in + ") AS " + Catalog.quote(cols.get(0)));
                case MIN -> select.add("MIN(" + in + ") AS " + Catalog.quote(cols.get(0)));
                case MAX -> select.add("MAX(" + in + ") AS " + Catalog.quote(cols.get(0)));
                case AVG -> {
                    select.add("SUM(" + in + ") AS " + Catalog.quote(cols.get(0)));
                    select.add("COUNT(" + in + ") AS " + Catalog.quote(cols.get(1)));
                }
                case NUMBER -> throw new IllegalStateException("derived measures are not stored");
            }
        }
        // without dimensions an aggregate always has one row: no facts must still mean an empty rollup
        String sql = "SELECT " + String.join(", ", select) + " FROM (" + g.text() + ") AS \"d\""
                + (group.isEmpty() ? " HAVING COUNT(*) > 0" : " GROUP BY " + String.join(", ", group));
        return layer.compiler.pushDownWarehouseSql(sql);
    }

    /** Column definitions of the rollup table, typed like the members so reads need no casts. */
    private List<String> columns(RollupModel r) {
        List<String> out = new ArrayList<>();
        for (MemberRef d : r.dimensions()) {
            out.add(Catalog.quote(RollupModel.dimColumn(d)) + " " + pgType(layer.memberTypes.of(d.cube(), d.member())));
        }
        for (Measure m : r.stored()) {
            List<String> cols = Bases.storedColumns(m);
            TypeSpec t = layer.memberTypes.of(m.cube(), m.name());
            if (m.type() == MeasureType.AVG) {
                out.add(Catalog.quote(cols.get(0)) + " double precision");
                out.add(Catalog.quote(cols.get(1)) + " bigint not null");
            } else {
                out.add(Catalog.quote(cols.get(0)) + " " + pgType(t));
            }
        }
        return out;
    }

    static String pgType(TypeSpec t) {
        String base = switch (t.name()) {
            case VARCHAR, CHAR -> t.precision() > 0 && t.precision() < 65536 ? "varchar(" + t.precision() + ")" : "text";
            case SMALLINT, TINYINT -> "smallint";
            case INTEGER -> "integer";
            case BIGINT -> "bigint";
            case DECIMAL -> t.precision() > 0 ? "numeric(" + t.precision() + "," + Math.max(0, t.scale()) + ")" : "numeric";
            case DOUBLE, FLOAT -> "double precision";
            case REAL -> "real";
            case BOOLEAN -> "boolean";
            case DATE -> "date";
            case TIME -> "time";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> "timestamptz";
            default -> throw new SemanticException(SemanticErrorCode.MODEL_INVALID, "Cannot store a value of type "
                    + t.name() + " in a rollup (cast the member to a plain type)");
        };
        return base + (t.nullable() ? "" : " not null");
    }

    private Build build(RollupModel r, BuildOptions options) {
        long t0 = System.nanoTime();
        String sql = buildSql(r);
        String table = r.table();
        String schema = table.substring(0, table.indexOf('.'));
        String name = table.substring(table.indexOf('.') + 1);
        String fresh = Catalog.quote(schema) + "." + Catalog.quote(name + "__new");
        CubeModel cube = layer.catalog.cube(r.cube());
        try (Connection c = layer.database().dataSource().getConnection()) {
            // before the build's snapshot, so that no write between the two goes unnoticed
            RollupStates.watch(c, RollupStates.sourceTables(layer.catalog, r));
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (Statement st = c.createStatement()) {
                st.execute("select pg_advisory_xact_lock(hashtext('wwi.rollup." + r.name() + "'))");
                // the build's time is its snapshot's: a write after it leaves a later change marker
                Timestamp builtAt;
                try (ResultSet rs = st.executeQuery("select now()")) {
                    rs.next();
                    builtAt = rs.getTimestamp(1);
                }
                Optional<Long> highWater = RollupStates.highWater(st, cube);
                st.execute("drop table if exists " + fresh);
                st.execute("create table " + fresh + " (" + String.join(", ", columns(r)) + ")");
                long rows = st.executeUpdate("insert into " + fresh + " " + sql);
                OptionalLong previous = previousRows(c, r);
                if (rows == 0 && !options.allowEmpty()) {
                    c.rollback();
                    throw new SemanticException(SemanticErrorCode.ROLLUP_REFUSED, "Cannot swap in rollup " + r.name()
                            + ": the new table is empty (load the facts of cube " + r.cube() + " first, or allow an "
                            + "empty rollup); the current table is unchanged");
                }
                if (previous.isPresent() && rows < previous.getAsLong() && !options.allowShrink()) {
                    c.rollback();
                    throw new SemanticException(SemanticErrorCode.ROLLUP_REFUSED, "Cannot swap in rollup " + r.name()
                            + ": the new table has " + rows + " rows, fewer than the " + previous.getAsLong()
                            + " of the current one (were facts deleted? allow shrinking to accept it); the current "
                            + "table is unchanged");
                }
                st.execute("analyze " + fresh);
                st.execute("drop table if exists " + Catalog.quote(schema) + "." + Catalog.quote(name + "__old"));
                st.execute("alter table if exists " + Catalog.quoteQualified(table) + " rename to "
                        + Catalog.quote(name + "__old"));
                st.execute("alter table " + fresh + " rename to " + Catalog.quote(name));
                st.execute("drop table if exists " + Catalog.quote(schema) + "." + Catalog.quote(name + "__old"));
                st.execute("comment on table " + Catalog.quoteQualified(table) + " is "
                        + SqlText.literal("Rollup " + r.name() + " of the semantic layer: " + r.description()));
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                try (PreparedStatement ps = c.prepareStatement("insert into mart.rollup_state (rollup_name, "
                        + "table_name, cube, fingerprint, built_at, fact_table, fact_high_water, row_count, "
                        + "build_millis) values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (rollup_name) do update set "
                        + "table_name = excluded.table_name, cube = excluded.cube, fingerprint = excluded.fingerprint, "
                        + "built_at = excluded.built_at, fact_table = excluded.fact_table, "
                        + "fact_high_water = excluded.fact_high_water, row_count = excluded.row_count, "
                        + "build_millis = excluded.build_millis")) {
                    ps.setString(1, r.name());
                    ps.setString(2, table);
                    ps.setString(3, r.cube());
                    ps.setString(4, r.fingerprint());
                    ps.setTimestamp(5, builtAt);
                    ps.setString(6, cube.def().table().orElse(null));
                    if (highWater.isPresent()) {
                        ps.setLong(7, highWater.get());
                    } else {
                        ps.setNull(7, java.sql.Types.BIGINT);
                    }
                    ps.setLong(8, rows);
                    ps.setLong(9, took.toMillis());
                    ps.executeUpdate();
                }
                c.commit();
                return new Build(r.name(), table, rows, previous, highWater, took);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new SemanticException(SemanticErrorCode.DATABASE_FAILED, "Cannot build rollup " + r.name() + ": "
                    + Catalog.firstLine(e.getMessage()) + " (nothing was changed)", e);
        }
    }

    /** Rows of the current table, when it exists and was built from the same definition. */
    private static OptionalLong previousRows(Connection c, RollupModel r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select s.row_count from mart.rollup_state s "
                + "where s.rollup_name = ? and s.fingerprint = ? and to_regclass(s.table_name) is not null")) {
            ps.setString(1, r.name());
            ps.setString(2, r.fingerprint());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }
}
