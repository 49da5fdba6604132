package org.wwi.semantic;

import org.wwi.semantic.Catalog.CubeModel;
import org.wwi.semantic.Catalog.RollupModel;

import javax.sql.DataSource;
import java.sql.Connection;
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

    /** The rollup states and fact high-water marks at one moment. */
    record Snapshot(Map<String, State> states, Map<String, Long> factHighWater, Instant takenAt) {
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
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
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
        return new Snapshot(Map.copyOf(states), Map.copyOf(hw), Instant.now());
    }

    @Override
    public void close() {
        refresher.shutdownNow();
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
