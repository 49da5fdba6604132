package org.wwi.semantic;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * A few idle PostgreSQL connections kept for reuse, so a query does not pay for a new session.
 * A connection that failed with a connection-level error is closed instead of returned, and an
 * idle one is checked before reuse, so the layer keeps serving after PostgreSQL comes back.
 */
final class ConnectionPool implements AutoCloseable {
    private static final int VALIDATION_SECONDS = 5;
    private final DataSource dataSource;
    private final int maxIdle;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    ConnectionPool(DataSource dataSource, int maxIdle) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.maxIdle = maxIdle;
    }

    Connection borrow() throws SQLException {
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            idleCount.decrementAndGet();
            // an idle session may have been terminated (PostgreSQL restarted, pg_terminate_backend):
            // one round trip tells, so the query does not fail on a dead session
            if (!c.isClosed() && c.isValid(VALIDATION_SECONDS)) {
                return c;
            }
            closeQuietly(c);
        }
        return dataSource.getConnection();
    }

    /** Returns a connection; {@code broken} closes it (after a connection-level failure). */
    void release(Connection c, boolean broken) {
        try {
            if (broken || c.isClosed() || !c.getAutoCommit() || idleCount.get() >= maxIdle) {
                c.close();
                return;
            }
        } catch (SQLException e) {
            closeQuietly(c);
            return;
        }
        idleCount.incrementAndGet();
        idle.offerFirst(c);
    }

    /** Whether an error means the session itself is gone (server restart, terminated backend). */
    static boolean connectionLost(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"));
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing a connection that already failed: nothing left to release
        }
    }

    @Override
    public void close() {
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            closeQuietly(c);
        }
    }
}
