package org.wwi.external.query;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import static java.util.Objects.requireNonNull;

/**
 * The warehouse as Calcite's JDBC schemas see it during one statement: one PostgreSQL session,
 * opened on first use and handed out again at every {@link #getConnection()} (whose {@code close()}
 * leaves it open), closed with {@link #close()}.
 *
 * <p>Calcite's {@code JdbcSchema} asks its data source for a new connection at every metadata
 * lookup (twice per table when a case-insensitive name makes it list a whole schema) and at every
 * pushed-down query; against a plain PostgreSQL data source that meant a new session, with
 * authentication, each time.
 */
final class StatementConnection implements DataSource, AutoCloseable {
    private final DataSource warehouse;
    private Connection session;

    StatementConnection(DataSource warehouse) {
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
    }

    @Override
    public synchronized Connection getConnection() throws SQLException {
        if (session == null || session.isClosed()) {
            session = warehouse.getConnection();
        }
        Connection shared = session;
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close":
                            return null; // the session stays open for the rest of the statement
                        case "isClosed":
                            return shared.isClosed();
                        default:
                            try {
                                return method.invoke(shared, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                    }
                });
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the warehouse session has fixed credentials");
    }

    @Override
    public synchronized void close() throws SQLException {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // no driver logging
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // the warehouse data source has its own
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
