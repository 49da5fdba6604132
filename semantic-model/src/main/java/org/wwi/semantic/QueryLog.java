package org.wwi.semantic;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * The query log ({@code mart.query_log}): who ran which SQL, how many rows, how long, and
 * which rollups answered. Entries are written in batches by a background thread, so logging
 * adds no round trip to a query; when the database is down they wait (up to a bound) and are
 * written when it is back.
 */
final class QueryLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueryLog.class);
    private static final int CAPACITY = 10_000;

    /** One answered (or failed) query. */
    record Entry(Instant startedAt, String user, Optional<String> role, String source, String sql, boolean ok,
                 long rows, double millis, List<String> rollups, Optional<String> error) {
        Entry {
            requireNonNull(startedAt, "startedAt is null");
            requireNonNull(user, "user is null");
            rollups = List.copyOf(rollups);
        }
    }

    private final DataSource dataSource;
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private final Object flushLock = new Object();
    private volatile boolean closed;

    QueryLog(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.writer = new Thread(this::run, "wwi-query-log");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    void add(Entry e) {
        while (!queue.offer(e)) {
            // full: the database has been away for long; keep the newest entries
            queue.poll();
            if (dropped.incrementAndGet() % 1000 == 1) {
                LOG.warn("query log: {} entries dropped while the database was unreachable", dropped.get());
            }
        }
    }

    /** Writes everything queued so far (tests, shutdown). */
    void flush() {
        synchronized (flushLock) {
            List<Entry> batch = new ArrayList<>();
            queue.drainTo(batch);
            if (!batch.isEmpty() && !write(batch)) {
                batch.forEach(this::add);
                throw new SemanticException(SemanticErrorCode.DATABASE_FAILED, "Cannot write the query log to "
                        + "mart.query_log (is the database reachable and migrated?)");
            }
        }
    }

    private void run() {
        while (!closed) {
            try {
                Entry first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                synchronized (flushLock) {
                    List<Entry> batch = new ArrayList<>();
                    batch.add(first);
                    queue.drainTo(batch, 499);
                    if (!write(batch)) {
                        batch.forEach(this::add);
                        Thread.sleep(2000);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean write(List<Entry> batch) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into mart.query_log (started_at, user_name, role_name, "
                     + "source, sql, status, row_count, duration_ms, rollups, error) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Entry e : batch) {
                ps.setTimestamp(1, Timestamp.from(e.startedAt()));
                ps.setString(2, e.user());
                ps.setString(3, e.role().orElse(null));
                ps.setString(4, e.source());
                ps.setString(5, e.sql());
                ps.setString(6, e.ok() ? "ok" : "error");
                if (e.ok()) {
                    ps.setLong(7, e.rows());
                } else {
                    ps.setNull(7, java.sql.Types.BIGINT);
                }
                ps.setBigDecimal(8, BigDecimal.valueOf(e.millis()).setScale(3, RoundingMode.HALF_UP));
                ps.setArray(9, c.createArrayOf("text", e.rollups().toArray()));
                ps.setString(10, e.error().orElse(null));
                ps.addBatch();
            }
            ps.executeBatch();
            return true;
        } catch (SQLException e) {
            LOG.warn("query log: cannot write {} entries yet: {}", batch.size(), e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            flush();
        } catch (SemanticException e) {
            LOG.warn("query log: {} entries not written at shutdown: {}", queue.size(), e.getMessage());
        }
    }
}
