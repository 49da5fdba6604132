package org.wwi.platform;

import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.util.PSQLException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** A {@link Database} over plain PostgreSQL JDBC. */
final class PgDatabase implements Database {
    private final ServerAddress address;
    private final Optional<String> password;
    private final String origin;
    private final AutoCloseable owner;
    private final String serverVersion;

    private PgDatabase(ServerAddress address, Optional<String> password, String origin, AutoCloseable owner,
                       String serverVersion) {
        this.address = address;
        this.password = password;
        this.origin = origin;
        this.owner = owner;
        this.serverVersion = serverVersion;
    }

    /**
     * Connects, checks the server version and returns the database.
     *
     * @param origin how to describe where it came from, e.g. "embedded" or "external"
     * @param owner  closed with the database (an in-process server), or null
     */
    static PgDatabase connect(ServerAddress address, Optional<String> password, String origin, AutoCloseable owner) {
        requireNonNull(address, "address is null");
        PGSimpleDataSource probe = dataSource(address, password, address.database());
        probe.setConnectTimeout(10);
        probe.setLoginTimeout(10);
        String version;
        try (Connection c = probe.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select current_setting('server_version_num')::int, "
                     + "current_setting('server_version')")) {
            rs.next();
            if (rs.getInt(1) < 140000) {
                throw new PlatformException(PlatformErrorCode.DB_TOO_OLD, "Cannot use PostgreSQL "
                        + rs.getString(2) + " at " + address.host() + ":" + address.port()
                        + " (WWI Warehouse needs PostgreSQL 14 or later)");
            }
            version = rs.getString(2).split(" ")[0];
        } catch (SQLException e) {
            throw connectFailure(address, e);
        }
        return new PgDatabase(address, password, origin, owner, version);
    }

    static PGSimpleDataSource dataSource(ServerAddress address, Optional<String> password, String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {address.host()});
        ds.setPortNumbers(new int[] {address.port()});
        ds.setDatabaseName(database);
        ds.setUser(address.user());
        password.ifPresent(ds::setPassword);
        ds.setApplicationName("wwi");
        ds.setTcpKeepAlive(true);
        return ds;
    }

    /** Turns a failed connection into one line naming host, port and the cause. */
    static PlatformException connectFailure(ServerAddress a, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String cause = rootMessage(e);
        if (state.startsWith("28")) {
            return new PlatformException(PlatformErrorCode.DB_AUTH_FAILED, "Cannot log in to PostgreSQL at "
                    + a.host() + ":" + a.port() + " as user '" + a.user() + "': " + cause
                    + " (check db.user and db.password, or WWI_DB_USER and WWI_DB_PASSWORD)", e);
        }
        if (state.equals("3D000")) {
            return new PlatformException(PlatformErrorCode.DB_UNREACHABLE, "Cannot open database '"
                    + a.database() + "' at " + a.host() + ":" + a.port() + ": it does not exist"
                    + " (create it, or fix the database name in the URL)", e);
        }
        if (state.startsWith("08") || e instanceof PSQLException && state.isEmpty()) {
            return new PlatformException(PlatformErrorCode.DB_UNREACHABLE, "Cannot connect to PostgreSQL at "
                    + a.host() + ":" + a.port() + ": " + cause
                    + " (is the server running and reachable? check --db / WWI_DB_URL)", e);
        }
        return new PlatformException(PlatformErrorCode.DB_ERROR, "Cannot use PostgreSQL at "
                + a.host() + ":" + a.port() + ": " + cause, e);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (root != t && t.getMessage() != null && !(root instanceof java.net.ConnectException)
                && !(root instanceof java.net.UnknownHostException)) {
            m = t.getMessage();
        }
        if (root instanceof java.net.UnknownHostException) {
            m = "unknown host " + root.getMessage();
        }
        return m.lines().findFirst().orElse(m);
    }

    @Override
    public DataSource dataSource() {
        return dataSource(address.database());
    }

    @Override
    public DataSource dataSource(String database) {
        return dataSource(address, password, database);
    }

    @Override
    public String jdbcUrl() {
        return jdbcUrl(address.database());
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + address.host() + ":" + address.port() + "/" + database
                + "?user=" + address.user();
    }

    @Override
    public ServerAddress address() {
        return address;
    }

    String serverVersion() {
        return serverVersion;
    }

    @Override
    public String description() {
        return origin + " PostgreSQL " + serverVersion + " at " + address.host() + ":" + address.port()
                + ", database " + address.database();
    }

    @Override
    public void close() {
        if (owner != null) {
            try {
                owner.close();
            } catch (Exception e) {
                throw new PlatformException(PlatformErrorCode.DB_ERROR,
                        "Cannot stop the embedded PostgreSQL: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return description();
    }
}
