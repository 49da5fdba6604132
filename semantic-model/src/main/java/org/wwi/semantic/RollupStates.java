package org.wwi.semantic;

import org.wwi.semantic.Catalog.CubeModel;
import org.wwi.semantic.Catalog.RollupModel;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * What {@code mart.rollup_state} says about each rollup, and the current high-water mark of the
 * facts: whether a rollup table exists, matches the model, and is as new as the facts it
 * summarizes. Read at most once per {@code ttl}, so planning costs no extra round trip.
 */
final class RollupStates implements AutoCloseable {
    /** One row of {@code mart.rollup_state}. */
    record State(String rollup, String table, String fingerprint, Instant builtAt, Optional<Long> highWater,
                 long rows, boolean present) {
    }

    /**
     * The rollup states and fact high-water marks at one moment, with the last change of each
     * table a rollup reads ({@code mart.table_change}, written by statement-level triggers).
     */
    record Snapshot(Map<String, State> states, Map<String, Long> factHighWater, Map<String, Instant> changes,
                    Map<String, java.util.Set<String>> sources, Instant takenAt) {
        /** The first table a rollup reads that changed after the rollup was built. */
        Optional<String> changedSince(RollupModel r) {
            State s = states.get(r.name());
            if (s == null) {
                return Optional.empty();
            }
            for (String t : sources.getOrDefault(r.name(), java.util.Set.of())) {
                Instant changed = changes.get(t);
                if (changed != null && changed.isAfter(s.builtAt())) {
                    return Optional.of(t + " changed at " + changed + ", after the build at " + s.builtAt());
                }
            }
            return Optional.empty();
        }

        /** Why a rollup cannot answer queries now, or empty when it can. */
        Optional<String> unusable(RollupModel r) {
            State s = states.get(r.name());
            if (s == null || !s.present()) {
                return Optional.of("not built");
            }
            if (!s.fingerprint().equals(r.fingerprint())) {
                return Optional.of("built from an older definition (rebuild it)");
            }
            Long current = factHighWater.get(r.cube());
            if (!r.allowStale() && current != null && (s.highWater().isEmpty() || s.highWater().get() < current)) {
                return Optional.of("stale: built at high-water mark " + s.highWater().map(String::valueOf)
                        .orElse("(none)") + ", facts are at " + current);
            }
            if (!r.allowStale()) {
                Optional<String> changed = changedSince(r);
                if (changed.isPresent()) {
                    return Optional.of("stale: " + changed.get());
                }
            }
            return Optional.empty();
        }

        long rows(String rollup) {
            State s = states.get(rollup);
            return s == null ? Long.MAX_VALUE : s.rows();
        }

        /** A key that changes whenever the usable set changes (part of the plan cache key). */
        String usableKey(Catalog catalog) {
            TreeSet<String> usable = new TreeSet<>();
            for (RollupModel r : catalog.rollups.values()) {
                if (unusable(r).isEmpty()) {
                    usable.add(r.name() + "@" + states.get(r.name()).builtAt().toEpochMilli());
                }
            }
            return usable.toString();
        }
    }

    private final DataSource dataSource;
    private final Catalog catalog;
    private final Duration ttl;
    private volatile Snapshot current;
    private final java.util.concurrent.atomic.AtomicBoolean refreshing = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.ExecutorService refresher = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "wwi-rollup-states");
        t.setDaemon(true);
        return t;
    });
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RollupStates.class);

    RollupStates(DataSource dataSource, Catalog catalog, Duration ttl) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.ttl = requireNonNull(ttl, "ttl is null");
    }

    /**
     * The current snapshot. When it is older than the time to live, the one at hand is returned and
     * a fresh one is read in the background, so no query waits for it; a zero time to live reads
     * the database every time (tests).
     */
    Snapshot snapshot() {
        Snapshot s = current;
        if (s == null || ttl.isZero()) {
            synchronized (this) {
                s = current;
                if (s == null || ttl.isZero()) {
                    s = read();
                    current = s;
                }
            }
            return s;
        }
        if (s.takenAt().plus(ttl).isBefore(Instant.now()) && refreshing.compareAndSet(false, true)) {
            refresher.execute(() -> {
                try {
                    current = read();
                } catch (RuntimeException e) {
                    LOG.warn("cannot refresh the rollup states: {}", e.getMessage());
                } finally {
                    refreshing.set(false);
                }
            });
        }
        return s;
    }

    /** Forces the next {@link #snapshot()} to read the database (after a build). */
    void invalidate() {
        current = null;
    }

    private Snapshot read() {
        Map<String, State> states = new LinkedHashMap<>();
        Map<String, Long> hw = new LinkedHashMap<>();
        Map<String, Instant> changes = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select table_name, changed_at from " + CHANGES)) {
                while (rs.next()) {
                    changes.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                }
            } catch (SQLException e) {
                if (!"42P01".equals(e.getSQLState())) { // no change markers yet: nothing was built
                    throw e;
                }
            }
            try (ResultSet rs = st.executeQuery("select rollup_name, table_name, fingerprint, built_at, "
                    + "fact_high_water, row_count, to_regclass(table_name) is not null from mart.rollup_state")) {
                while (rs.next()) {
                    long h = rs.getLong(5);
                    Optional<Long> high = rs.wasNull() ? Optional.empty() : Optional.of(h);
                    states.put(rs.getString(1), new State(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getTimestamp(4).toInstant(), high, rs.getLong(6), rs.getBoolean(7)));
                }
            }
            for (String cube : new TreeSet<>(catalog.rollups.values().stream().map(RollupModel::cube).toList())) {
                highWater(st, catalog.cube(cube)).ifPresent(v -> hw.put(cube, v));
            }
        } catch (SQLException e) {
            throw new SemanticException(SemanticErrorCode.DATABASE_FAILED, "Cannot read rollup states from "
                    + "mart.rollup_state: " + e.getMessage() + " (run wwi migrate)", e);
        }
        Map<String, java.util.Set<String>> sources = new LinkedHashMap<>();
        catalog.rollups.values().forEach(r -> sources.put(r.name(), sourceTables(catalog, r)));
        return new Snapshot(Map.copyOf(states), Map.copyOf(hw), Map.copyOf(changes), Map.copyOf(sources),
                Instant.now());
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }

    /** The table of change markers: the last time each watched table was written. */
    static final String CHANGES = "mart.table_change";

    /**
     * The tables (schema.table, lower case) a rollup is built from: its cube's and those of the
     * cubes its dimensions come from. Cubes over SQL have no table to watch: only their high-water
     * mark, when they declare one, tells that they changed.
     */
    static java.util.Set<String> sourceTables(Catalog catalog, RollupModel r) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        catalog.cube(r.cube()).def().table().ifPresent(t -> out.add(t.toLowerCase(java.util.Locale.ROOT)));
        for (Catalog.MemberRef d : r.dimensions()) {
            catalog.cube(d.cube()).def().table().ifPresent(t -> out.add(t.toLowerCase(java.util.Locale.ROOT)));
        }
        return out;
    }

    /**
     * Makes every write to the tables a rollup reads leave a change marker in {@code
     * mart.table_change}: {@code changed_at} for any write, from a statement-level trigger (one
     * row per statement, not per row, so loads pay nothing measurable); {@code rewritten_at} when
     * rows that were there may have changed — a truncate, a deleted row, or an updated row whose
     * values differ ({@code OLD.* IS DISTINCT FROM NEW.*}, so an upsert that changes nothing is
     * not a rewrite). Row triggers mark once per transaction and table. Created once per table.
     * An incremental build is only allowed while no source table was rewritten since the last one.
     */
    static void watch(Connection c, java.util.Collection<String> tables) throws SQLException {
        if (watched(c, tables)) {
            return;
        }
        try (Statement st = c.createStatement()) {
            st.execute("create table if not exists " + CHANGES + " (table_name text primary key, "
                    + "changed_at timestamptz not null)");
            st.execute("alter table " + CHANGES + " add column if not exists rewritten_at timestamptz");
            st.execute("comment on table " + CHANGES + " is 'Last write to each table a rollup of the semantic layer "
                    + "is built from, and last update, delete or truncate of rows already there (triggers); a "
                    + "rollup built before a write is stale, and one built before a rewrite is rebuilt whole'");
            st.execute("create or replace function mart.note_table_change() returns trigger language plpgsql as $$ "
                    + "begin insert into " + CHANGES + " as t values (tg_table_schema || '.' || tg_table_name, "
                    + "clock_timestamp(), case when tg_op = 'TRUNCATE' then clock_timestamp() end) on conflict "
                    + "(table_name) do update set changed_at = excluded.changed_at, rewritten_at = "
                    + "coalesce(excluded.rewritten_at, t.rewritten_at); return null; end $$");
            // the relation a row trigger fires for is a partition: the marker names the table the trigger is on
            st.execute("create or replace function mart.note_table_rewrite() returns trigger language plpgsql as $$ "
                    + "declare flag text := 'wwi_rewrite.t' || md5(tg_argv[0]); begin "
                    + "if current_setting(flag, true) is distinct from txid_current()::text then "
                    + "insert into " + CHANGES + " as t values (tg_argv[0], clock_timestamp(), clock_timestamp()) "
                    + "on conflict (table_name) do update set changed_at = excluded.changed_at, rewritten_at = "
                    + "excluded.rewritten_at; perform set_config(flag, txid_current()::text, true); end if; "
                    + "return null; end $$");
            for (String t : tables) {
                java.util.Set<String> present = new java.util.HashSet<>();
                try (PreparedStatement ps = c.prepareStatement("select tgname from pg_trigger where tgrelid = "
                        + "to_regclass(?) and tgname like 'wwi_table_%'")) {
                    ps.setString(1, t);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            present.add(rs.getString(1));
                        }
                    }
                }
                String table = Catalog.quoteQualified(t);
                String argument = SqlText.literal(t);
                if (!present.contains("wwi_table_change")) {
                    st.execute("create trigger wwi_table_change after insert or update or delete or truncate on "
                            + table + " for each statement execute function mart.note_table_change()");
                }
                if (!present.contains("wwi_table_updated")) {
                    st.execute("create trigger wwi_table_updated after update on " + table + " for each row when "
                            + "(old.* is distinct from new.*) execute function mart.note_table_rewrite(" + argument + ")");
                }
                if (!present.contains("wwi_table_deleted")) {
                    st.execute("create trigger wwi_table_deleted after delete on " + table + " for each row "
                            + "execute function mart.note_table_rewrite(" + argument + ")");
                }
            }
        }
    }

    private static final java.util.List<String> TRIGGERS = java.util.List.of("wwi_table_change", "wwi_table_updated",
            "wwi_table_deleted");

    /** Whether every table already has the three triggers (one round trip, so a build pays nothing more). */
    private static boolean watched(Connection c, java.util.Collection<String> tables) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from unnest(?::text[]) t (name) join pg_trigger "
                + "g on g.tgrelid = to_regclass(t.name) and g.tgname = any (?)")) {
            ps.setArray(1, c.createArrayOf("text", tables.toArray()));
            ps.setArray(2, c.createArrayOf("text", TRIGGERS.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == (long) tables.size() * TRIGGERS.size();
            }
        }
    }

    /** The fact's current high-water mark ({@code max(high_water_mark)}), when the cube declares one. */
    static Optional<Long> highWater(Statement st, CubeModel cube) throws SQLException {
        if (cube.def().highWaterMark().isEmpty() || cube.def().table().isEmpty()) {
            return Optional.empty();
        }
        try (ResultSet rs = st.executeQuery("select max(" + Catalog.quote(cube.def().highWaterMark().get()) + ") from "
                + Catalog.quoteQualified(cube.def().table().get()))) {
            rs.next();
            long v = rs.getLong(1);
            return Optional.of(rs.wasNull() ? 0L : v);
        }
    }
}
