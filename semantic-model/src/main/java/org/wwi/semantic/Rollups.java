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
 * Builds the model's rollup tables in {@code mart} from the detail tables. A full build creates a
 * new table, fills it with one {@code INSERT ... SELECT} compiled by the same planner that answers
 * queries (so both give the same numbers), refuses an empty or shrunken result unless allowed,
 * and swaps it in by renaming, recording the fact high-water mark in {@code mart.rollup_state},
 * all in one transaction: readers see the old table or the new one, never a half-built one.
 * When only new facts arrived since (rows above the high-water mark; nothing updated or deleted,
 * see {@link RollupStates#watch}), a build merges them into the current table instead, in time
 * proportional to the new facts; distinct counts stay exact through a table of the distinct
 * values per group.
 */
public final class Rollups {

    /**
     * @param allowEmpty  accept a build with no rows (e.g. an empty warehouse)
     * @param allowShrink accept fewer rows than the table being replaced (facts were deleted)
     * @param rebuild     build the whole table even when the new facts could be merged in (e.g.
     *                    after rows were inserted below the high-water mark by hand)
     */
    public record BuildOptions(boolean allowEmpty, boolean allowShrink, boolean rebuild) {
        public BuildOptions(boolean allowEmpty, boolean allowShrink) {
            this(allowEmpty, allowShrink, false);
        }

        public static BuildOptions defaults() {
            return new BuildOptions(false, false, false);
        }
    }

    /**
     * What one build did.
     *
     * @param how {@code full: <why>} (a new table swapped in) or {@code incremental: ...} (the new
     *            facts merged into the current table)
     */
    public record Build(String rollup, String table, long rows, OptionalLong previousRows, Optional<Long> highWater,
                        Duration took, String how) {
        public boolean incremental() {
            return how.startsWith("incremental");
        }
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
        Build b;
        try {
            b = build(r, options);
        } finally {
            layer.rollupStates.invalidate();
        }
        if (!b.incremental()) { // a new table: the planner must see it (a merge changes rows only)
            layer.warehouse.refresh();
        }
        return b;
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
        String table = r.table();
        CubeModel cube = layer.catalog.cube(r.cube());
        java.util.Set<String> sources = RollupStates.sourceTables(layer.catalog, r);
        try (Connection c = layer.database().dataSource().getConnection()) {
            // before the build's snapshot, so that no write between the two goes unnoticed
            RollupStates.watch(c, sources);
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (Statement st = c.createStatement()) {
                // The locks come before the snapshot (the transaction's first query): one build at a
                // time, and no write in flight on the tables it reads. So the snapshot holds every
                // write marked before the build's time and none after it, and no row below the
                // high-water mark can commit later: the next build can start from that mark.
                st.execute("lock table mart.rollup_state in share update exclusive mode");
                for (String t : sources) {
                    st.execute("lock table " + Catalog.quoteQualified(t) + " in share mode");
                }
                // grouping millions of facts (and their distinct values) in memory rather than by
                // sorting on disk; builds run one at a time, so one build's memory is the bound
                st.execute("select set_config('work_mem', '" + BUILD_WORK_MEM + "', true) where pg_size_bytes("
                        + "current_setting('work_mem')) < pg_size_bytes('" + BUILD_WORK_MEM + "')");
                Timestamp builtAt;
                try (ResultSet rs = st.executeQuery("select clock_timestamp()")) {
                    rs.next();
                    builtAt = rs.getTimestamp(1);
                }
                Optional<Long> highWater = RollupStates.highWater(st, cube);
                OptionalLong previous = previousRows(c, r);
                Optional<String> unmergeable = mergeable(r, c);
                Incremental plan = options.rebuild() ? new Incremental(Optional.empty(), "a full build was asked")
                        : unmergeable.isPresent() ? new Incremental(Optional.empty(), unmergeable.get())
                        : incremental(c, r, sources, highWater);
                long rows = plan.from().isPresent() ? merge(st, r, plan.from().get())
                        : rebuild(st, r, previous, options, unmergeable.isEmpty());
                if (rows == 0 && !options.allowEmpty()) {
                    c.rollback();
                    throw new SemanticException(SemanticErrorCode.ROLLUP_REFUSED, "Cannot swap in rollup " + r.name()
                            + ": the new table is empty (load the facts of cube " + r.cube() + " first, or allow an "
                            + "empty rollup); the current table is unchanged");
                }
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                record(c, r, cube, builtAt, highWater, rows, took);
                c.commit();
                String how = plan.from().map(h -> "incremental: the rows of " + cube.def().table().orElseThrow()
                        + " above high-water mark " + h + " merged in").orElse("full: " + plan.why());
                return new Build(r.name(), table, rows, previous, highWater, took, how);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new SemanticException(SemanticErrorCode.DATABASE_FAILED, "Cannot build rollup " + r.name() + ": "
                    + Catalog.firstLine(e.getMessage()) + " (nothing was changed)", e);
        }
    }

    /**
     * A whole new table, swapped in for the current one; returns its rows. A rollup that later
     * builds may merge into also gets its merge key, and its distinct counts are counted from
     * their value sets, built first.
     */
    private long rebuild(Statement st, RollupModel r, OptionalLong previous, BuildOptions options,
                         boolean mergeable) throws SQLException {
        String table = r.table();
        String schema = Catalog.quote(schemaOf(table));
        String name = nameOf(table);
        String fresh = schema + "." + Catalog.quote(name + "__new");
        dropSets(st, r);
        st.execute("drop table if exists " + fresh);
        st.execute("create table " + fresh + " (" + String.join(", ", columns(r)) + ")");
        long rows;
        if (mergeable) {
            String detail = "(" + detailSql(r, Optional.empty()) + ") as \"d\"";
            List<String> sets = new ArrayList<>();
            for (Measure m : distinctMeasures(r)) {
                String set = setTable(r, m);
                st.execute("create table " + set + " as " + setRows(r, m, detail));
                st.execute("create unique index on " + set + " (" + String.join(", ", dimColumns(r)) + ", "
                        + SET_VALUE + ") nulls not distinct");
                st.execute("comment on table " + set + " is " + SqlText.literal("Distinct values of measure "
                        + m.name() + " per group of rollup " + r.name() + ", so that a build can add new facts "
                        + "to its distinct count instead of counting all facts again"));
                sets.add(set);
            }
            Grouping g = grouping(r, detail, sets);
            rows = st.executeUpdate("insert into " + fresh + " (" + String.join(", ", g.targets()) + ") " + g.select());
        } else {
            rows = st.executeUpdate("insert into " + fresh + " " + buildSql(r));
        }
        if (rows == 0 && !options.allowEmpty()) {
            return 0; // refused by the caller, before the swap
        }
        if (previous.isPresent() && rows < previous.getAsLong() && !options.allowShrink()) {
            throw new SemanticException(SemanticErrorCode.ROLLUP_REFUSED, "Cannot swap in rollup " + r.name()
                    + ": the new table has " + rows + " rows, fewer than the " + previous.getAsLong()
                    + " of the current one (were facts deleted? allow shrinking to accept it); the current "
                    + "table is unchanged");
        }
        if (mergeable) {
            // the key later builds merge new rows on (NULLS NOT DISTINCT: a null member is one group)
            st.execute("create unique index " + Catalog.quote(name + "__new_key") + " on " + fresh + " ("
                    + String.join(", ", dimColumns(r)) + ") nulls not distinct");
        }
        st.execute("analyze " + fresh);
        st.execute("drop table if exists " + schema + "." + Catalog.quote(name + "__old"));
        st.execute("alter table if exists " + Catalog.quoteQualified(table) + " rename to "
                + Catalog.quote(name + "__old"));
        st.execute("alter table " + fresh + " rename to " + Catalog.quote(name));
        st.execute("drop table if exists " + schema + "." + Catalog.quote(name + "__old"));
        st.execute("comment on table " + Catalog.quoteQualified(table) + " is "
                + SqlText.literal("Rollup " + r.name() + " of the semantic layer: " + r.description()));
        if (mergeable) {
            st.execute("alter index " + schema + "." + Catalog.quote(name + "__new_key") + " rename to "
                    + Catalog.quote(name + "__key"));
        }
        return rows;
    }

    /**
     * Adds the facts above the last build's high-water mark to the current table: sums, counts and
     * the parts of averages are added, minimums and maximums compared, and distinct counts grow
     * by the values new to their group (inserted into the rollup's set tables). One statement,
     * reading the new facts once; returns the rows of the table afterwards.
     */
    private long merge(Statement st, RollupModel r, long fromHighWater) throws SQLException {
        CubeModel cube = layer.catalog.cube(r.cube());
        StringBuilder sql = new StringBuilder("with \"d\" as materialized (").append(newFactsSql(r, cube,
                fromHighWater)).append(")");
        List<Measure> distinct = distinctMeasures(r);
        List<String> newValues = new ArrayList<>();
        String dimList = String.join(", ", dimColumns(r));
        for (int i = 0; i < distinct.size(); i++) {
            Measure m = distinct.get(i);
            sql.append(", \"s").append(i).append("\" as (insert into ").append(setTable(r, m)).append(" ")
                    .append(setRows(r, m, "\"d\"")).append(" on conflict do nothing returning ").append(dimList)
                    .append(")");
            newValues.add("\"s" + i + "\"");
        }
        Grouping g = grouping(r, "\"d\"", newValues);
        sql.append(" insert into ").append(Catalog.quoteQualified(r.table())).append(" as \"t\" (")
                .append(String.join(", ", g.targets())).append(") ").append(g.select()).append(" on conflict (")
                .append(dimList).append(") do update set ").append(String.join(", ", g.updates()));
        st.executeUpdate(sql.toString());
        try (ResultSet rs = st.executeQuery("select count(*) from " + Catalog.quoteQualified(r.table()))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The rows of a rollup, one per group: the stored measures aggregated from detail rows, and the
     * distinct counts from rows of distinct values per group; and, for a merge into the current
     * table, how each column takes in a new row of its group.
     */
    private record Grouping(List<String> targets, String select, List<String> updates) {
    }

    /**
     * @param detail a FROM item of detail rows ({@code "c0"}, … as {@link #generated})
     * @param sets   per distinct measure, a FROM item of (new) distinct values by group (columns
     *               named like the rollup's dimension columns)
     */
    private Grouping grouping(RollupModel r, String detail, List<String> sets) {
        List<String> dims = dimColumns(r);
        List<String> dimInputs = dimInputs(r);
        List<String> fromDetail = new ArrayList<>();
        List<String> targets = new ArrayList<>(dims);
        List<String> outer = new ArrayList<>(dims);
        List<String> updates = new ArrayList<>();
        List<Measure> distinct = distinctMeasures(r);
        List<List<String>> fromSets = new ArrayList<>();
        for (int i = 0; i < distinct.size(); i++) {
            fromSets.add(new ArrayList<>(dims));
        }
        for (int k = 0; k < dims.size(); k++) {
            fromDetail.add(dimInputs.get(k) + " as " + dims.get(k));
        }
        for (Measure m : r.stored()) {
            String in = inputColumn(r, m);
            List<String> cols = Bases.storedColumns(m).stream().map(Catalog::quote).toList();
            String col = cols.get(0);
            switch (m.type()) {
                case SUM, MIN, MAX, COUNT -> {
                    String f = switch (m.type()) {
                        case MIN -> "min(";
                        case MAX -> "max(";
                        case COUNT -> "count(";
                        default -> "sum(";
                    };
                    fromDetail.add(f + in + ") as " + col);
                    fromSets.forEach(b -> b.add("null"));
                    outer.add((m.type() == MeasureType.COUNT ? "sum(" : f) + col + ")");
                    updates.add(col + " = " + switch (m.type()) {
                        case MIN -> "least(\"t\"." + col + ", excluded." + col + ")";
                        case MAX -> "greatest(\"t\"." + col + ", excluded." + col + ")";
                        case COUNT -> "\"t\"." + col + " + excluded." + col;
                        default -> addNullable(col);
                    });
                }
                case AVG -> {
                    fromDetail.add("sum(" + in + ") as " + col);
                    fromDetail.add("count(" + in + ") as " + cols.get(1));
                    fromSets.forEach(b -> {
                        b.add("null");
                        b.add("null");
                    });
                    outer.add("sum(" + col + ")");
                    outer.add("sum(" + cols.get(1) + ")");
                    updates.add(col + " = " + addNullable(col));
                    updates.add(cols.get(1) + " = \"t\"." + cols.get(1) + " + excluded." + cols.get(1));
                }
                case COUNT_DISTINCT -> {
                    fromDetail.add("cast(null as bigint) as " + col);
                    int which = distinct.indexOf(m);
                    for (int i = 0; i < fromSets.size(); i++) {
                        fromSets.get(i).add(i == which ? "count(*)" : "null");
                    }
                    outer.add("coalesce(sum(" + col + "), 0)");
                    updates.add(col + " = \"t\"." + col + " + excluded." + col);
                }
                case NUMBER -> throw new IllegalStateException("derived measures are not stored");
            }
            targets.addAll(cols);
        }
        String dimList = String.join(", ", dims);
        StringBuilder p = new StringBuilder("select ").append(String.join(", ", fromDetail)).append(" from ")
                .append(detail).append(" group by ").append(String.join(", ", dimInputs));
        for (int i = 0; i < sets.size(); i++) {
            p.append(" union all select ").append(String.join(", ", fromSets.get(i))).append(" from ")
                    .append(sets.get(i)).append(" group by ").append(dimList);
        }
        String select = "select " + String.join(", ", outer) + " from (" + p + ") as \"p\" group by " + dimList;
        return new Grouping(targets, select, updates);
    }

    /** A sum that stays null only while both sides are. */
    private static String addNullable(String col) {
        return "coalesce(\"t\"." + col + " + excluded." + col + ", \"t\"." + col + ", excluded." + col + ")";
    }

    private List<String> dimInputs(RollupModel r) {
        Bases.GeneratedSql g = generated(r, Optional.empty());
        return r.dimensions().stream().map(d -> Catalog.quote("c" + g.dimPos().get(d))).toList();
    }

    /** Whether the next build may merge new facts into the current table, and from which mark. */
    private record Incremental(Optional<Long> from, String why) {
    }

    /**
     * A rollup that can merge at all ({@link #mergeable}) may merge new facts in when the current
     * table was built (with its key and sets) from
     * the same definition at a known high-water mark, no table it reads had rows updated, deleted
     * or truncated since, and every dimension table written since is joined by a validated
     * foreign key of the facts (so no earlier fact can have changed group).
     */
    private Incremental incremental(Connection c, RollupModel r, java.util.Set<String> sources,
                                    Optional<Long> highWater) throws SQLException {
        String table = r.table();
        String keyIndex = Catalog.quote(schemaOf(table)) + "." + Catalog.quote(nameOf(table) + "__key");
        long from;
        Instant builtAt;
        try (PreparedStatement ps = c.prepareStatement("select fact_high_water, built_at, to_regclass(?) is not null "
                + "from mart.rollup_state where rollup_name = ? and fingerprint = ? and to_regclass(table_name) is not "
                + "null")) {
            ps.setString(1, keyIndex);
            ps.setString(2, r.name());
            ps.setString(3, r.fingerprint());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Incremental(Optional.empty(), "no table built from this definition");
                }
                from = rs.getLong(1);
                if (rs.wasNull() || !rs.getBoolean(3)) {
                    return new Incremental(Optional.empty(), "the current table was built without a high-water "
                            + "mark or merge key");
                }
                builtAt = rs.getTimestamp(2).toInstant();
            }
        }
        for (Measure m : distinctMeasures(r)) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select to_regclass("
                    + SqlText.literal(setTable(r, m)) + ") is not null")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return new Incremental(Optional.empty(), "the distinct values of " + m.name() + " are missing");
                }
            }
        }
        if (highWater.isPresent() && highWater.get() < from) {
            return new Incremental(Optional.empty(), "the facts' high-water mark went down to " + highWater.get()
                    + " from " + from);
        }
        String fact = cube(r).def().table().orElseThrow().toLowerCase(java.util.Locale.ROOT);
        try (PreparedStatement ps = c.prepareStatement("select table_name, changed_at, rewritten_at from "
                + RollupStates.CHANGES + " where table_name = any (?)")) {
            ps.setArray(1, c.createArrayOf("text", sources.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String t = rs.getString(1);
                    Timestamp rewritten = rs.getTimestamp(3);
                    if (rewritten != null && rewritten.toInstant().isAfter(builtAt)) {
                        return new Incremental(Optional.empty(), t + " had rows updated, deleted or truncated after "
                                + "the last build");
                    }
                    if (!t.equals(fact) && rs.getTimestamp(2).toInstant().isAfter(builtAt)) {
                        Optional<String> why = unkeyedJoin(c, r, t);
                        if (why.isPresent()) {
                            return new Incremental(Optional.empty(), t + " was written after the last build and "
                                    + why.get());
                        }
                    }
                }
            }
        }
        return new Incremental(Optional.of(from), "");
    }

    private CubeModel cube(RollupModel r) {
        return layer.catalog.cube(r.cube());
    }

    /** Why a rollup cannot take new facts by merging (then every build is a full one), or empty. */
    private Optional<String> mergeable(RollupModel r, Connection c) throws SQLException {
        CubeModel cube = cube(r);
        if (c.getMetaData().getDatabaseMajorVersion() < 15) {
            return Optional.of("PostgreSQL " + c.getMetaData().getDatabaseProductVersion() + " has no unique "
                    + "indexes with NULLS NOT DISTINCT (15 and later have)");
        }
        if (r.dimensions().isEmpty()) {
            return Optional.of("the rollup has no dimensions");
        }
        if (cube.def().table().isEmpty() || cube.def().highWaterMark().isEmpty()) {
            return Optional.of("cube " + r.cube() + " has no sql_table with a high_water_mark");
        }
        for (Measure m : r.stored()) {
            if (!m.cube().equals(r.cube())) {
                return Optional.of("measure " + m.name() + " is not of cube " + r.cube());
            }
        }
        for (MemberRef d : r.dimensions()) {
            if (layer.catalog.cubeAt(r.cube(), d.path()).def().table().isEmpty()) {
                return Optional.of("dimension " + d + " comes from a cube over SQL, whose changes are not seen");
            }
        }
        int longest = nameOf(r.table()).length() + "__new_key".length();
        for (Measure m : distinctMeasures(r)) {
            longest = Math.max(longest, nameOf(r.table()).length() + 6 + m.name().length());
        }
        if (longest > 63) {
            return Optional.of("its table name is too long for the names of its key and sets");
        }
        return Optional.empty();
    }

    /**
     * Why the join to a dimension table may have put earlier facts in another group once rows were
     * added to it, or empty when it cannot: every join path of the rollup reaching that table is a
     * direct join {@code {CUBE}.a = {dim}.b} backed by a validated foreign key from {@code a} to
     * {@code b}, so every earlier fact already had its row.
     */
    private Optional<String> unkeyedJoin(Connection c, RollupModel r, String dimTable) throws SQLException {
        CubeModel cube = cube(r);
        for (MemberRef d : r.dimensions()) {
            List<String> path = d.path().joins();
            for (int i = 1; i <= path.size(); i++) {
                Catalog.JoinPath prefix = new Catalog.JoinPath(path.subList(0, i));
                Optional<String> t = layer.catalog.cubeAt(r.cube(), prefix).def().table();
                if (t.isEmpty() || !t.get().equalsIgnoreCase(dimTable)) {
                    continue;
                }
                if (i > 1) {
                    return Optional.of("is joined through " + prefix.dotted());
                }
                ModelDef.Join j = cube.joins().get(path.get(0));
                java.util.regex.Matcher m = KEY_JOIN.matcher(j.sql());
                if (!m.matches() || !m.group(2).equals(j.target())) {
                    return Optional.of("its join " + path.get(0) + " is not {CUBE}.column = {" + j.target() + "}.column");
                }
                try (PreparedStatement ps = c.prepareStatement("select 1 from pg_constraint k where k.contype = 'f' "
                        + "and k.convalidated and k.conrelid = to_regclass(?) and k.confrelid = to_regclass(?) "
                        + "and k.conkey = array[(select attnum from pg_attribute where attrelid = k.conrelid and "
                        + "attname = ?)] and k.confkey = array[(select attnum from pg_attribute where attrelid = "
                        + "k.confrelid and attname = ?)]")) {
                    ps.setString(1, cube.def().table().orElseThrow());
                    ps.setString(2, dimTable);
                    ps.setString(3, m.group(1));
                    ps.setString(4, m.group(3));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.of("no validated foreign key of " + cube.def().table().get() + " ("
                                    + m.group(1) + ") references it (" + m.group(3) + ")");
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static final java.util.regex.Pattern KEY_JOIN = java.util.regex.Pattern.compile(
            "\\s*\\{CUBE}\\.([a-z_][a-z0-9_]*)\\s*=\\s*\\{([A-Za-z_][A-Za-z0-9_]*)}\\.([a-z_][a-z0-9_]*)\\s*");

    private static final String SET_VALUE = "\"value\"";

    /** The least {@code work_mem} of a build's transaction (a higher server setting is kept). */
    private static final String BUILD_WORK_MEM = "256MB";

    private static List<Measure> distinctMeasures(RollupModel r) {
        return r.stored().stream().filter(m -> m.type() == MeasureType.COUNT_DISTINCT).toList();
    }

    /** The table of the distinct values of a measure per group, e.g. {@code mart."visitors_by_region__set_visitors"}. */
    private static String setTable(RollupModel r, Measure m) {
        return Catalog.quote(schemaOf(r.table())) + "." + Catalog.quote(nameOf(r.table()) + "__set_" + m.name());
    }

    private static void dropSets(Statement st, RollupModel r) throws SQLException {
        List<String> sets = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("select quote_ident(n.nspname) || '.' || quote_ident(t.relname) from "
                + "pg_class t join pg_namespace n on n.oid = t.relnamespace where t.relkind = 'r' and n.nspname = "
                + SqlText.literal(schemaOf(r.table())) + " and starts_with(t.relname, "
                + SqlText.literal(nameOf(r.table()) + "__set_") + ")")) {
            while (rs.next()) {
                sets.add(rs.getString(1));
            }
        }
        for (String s : sets) {
            st.execute("drop table " + s);
        }
    }

    /**
     * The distinct values of a measure per group, from detail rows ({@code from}: a FROM item with
     * the columns of {@link #generated}), as the set table holds them.
     */
    private String setRows(RollupModel r, Measure m, String from) {
        Bases.GeneratedSql g = generated(r, Optional.empty());
        List<String> out = new ArrayList<>();
        for (MemberRef d : r.dimensions()) {
            out.add(Catalog.quote("c" + g.dimPos().get(d)) + " as " + Catalog.quote(RollupModel.dimColumn(d)));
        }
        String value = inputColumn(r, m);
        out.add(value + " as " + SET_VALUE);
        return "select distinct " + String.join(", ", out) + " from " + from + " where " + value + " is not null";
    }

    /** The column of the detail query that holds a stored measure's input, e.g. {@code "c3"}. */
    private String inputColumn(RollupModel r, Measure m) {
        Bases.GeneratedSql g = generated(r, Optional.empty());
        return Catalog.quote("c" + g.measurePos().get(new MemberRef(Catalog.JoinPath.ROOT, r.cube(), m.name()))[0]);
    }

    private Bases.GeneratedSql generated(RollupModel r, Optional<Bases.RowFilter> filter) {
        List<MemberRef> measures = r.stored().stream().map(m -> new MemberRef(Catalog.JoinPath.ROOT, r.cube(),
                m.name())).toList();
        return Bases.detailSql(layer.catalog, r.cube(), r.dimensions(), measures, filter);
    }

    /** The detail rows of a rollup (dimensions, then measure inputs), as PostgreSQL runs them. */
    private String detailSql(RollupModel r, Optional<Bases.RowFilter> filter) {
        return layer.compiler.pushDownWarehouseSql(generated(r, filter).text());
    }

    /**
     * The detail rows of the facts above a high-water mark. Planned once per rollup with a
     * placeholder mark that the statement then carries in place of the real one (the model, and
     * so the statement, is fixed for the life of the layer); planned each time should the
     * placeholder not come through exactly once.
     */
    private String newFactsSql(RollupModel r, CubeModel cube, long fromHighWater) {
        String column = Bases.alias(r.cube(), Catalog.JoinPath.ROOT) + "." + Catalog.quote(
                cube.def().highWaterMark().orElseThrow());
        String planned = newFacts.computeIfAbsent(r.name(), n -> detailSql(r, Optional.of(new Bases.RowFilter(
                column + " > " + PLACEHOLDER_MARK, List.of()))));
        int at = planned.indexOf(PLACEHOLDER_MARK);
        if (at < 0 || planned.indexOf(PLACEHOLDER_MARK, at + 1) >= 0) {
            return detailSql(r, Optional.of(new Bases.RowFilter(column + " > " + fromHighWater, List.of())));
        }
        return planned.substring(0, at) + fromHighWater + planned.substring(at + PLACEHOLDER_MARK.length());
    }

    /** A high-water mark no fact table reaches, standing in for the real one while planning. */
    private static final String PLACEHOLDER_MARK = "8070450532247928901";

    private final java.util.Map<String, String> newFacts = new java.util.concurrent.ConcurrentHashMap<>();

    private static List<String> dimColumns(RollupModel r) {
        return r.dimensions().stream().map(d -> Catalog.quote(RollupModel.dimColumn(d))).toList();
    }

    private static String schemaOf(String table) {
        return table.substring(0, table.indexOf('.'));
    }

    private static String nameOf(String table) {
        return table.substring(table.indexOf('.') + 1);
    }

    private static void record(Connection c, RollupModel r, CubeModel cube, Timestamp builtAt,
                               Optional<Long> highWater, long rows, Duration took) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into mart.rollup_state (rollup_name, "
                + "table_name, cube, fingerprint, built_at, fact_table, fact_high_water, row_count, "
                + "build_millis) values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (rollup_name) do update set "
                + "table_name = excluded.table_name, cube = excluded.cube, fingerprint = excluded.fingerprint, "
                + "built_at = excluded.built_at, fact_table = excluded.fact_table, "
                + "fact_high_water = excluded.fact_high_water, row_count = excluded.row_count, "
                + "build_millis = excluded.build_millis")) {
            ps.setString(1, r.name());
            ps.setString(2, r.table());
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
