package org.wwi.jobs;

import org.postgresql.ds.PGSimpleDataSource;
import org.wwi.control.SecretStore;
import org.wwi.platform.Database;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens connections to target databases: with a credential (identity and decrypted secret from
 * the {@link SecretStore}), or, on the control database's own server only, with the agent's own
 * login. Decrypted secrets are kept for a short while to spare the control database, and cleared
 * by {@link #clear()}; they are never logged or put in a message.
 */
final class TargetConnector {
    private static final long SECRET_TTL_NANOS = 30_000_000_000L;

    /** A registered server. */
    record ServerRef(String name, String host, int port, String maintenanceDatabase) {
    }

    private record Cached(SecretStore.Secret secret, long loadedAt) {
    }

    private final Database control;
    private final SecretStore secrets;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    TargetConnector(Database control, SecretStore secrets) {
        this.control = control;
        this.secrets = secrets;
    }

    /** The identity and secret of a credential (cached for 30 s). */
    SecretStore.Secret secret(String credential) {
        Cached c = cache.get(credential);
        if (c != null && System.nanoTime() - c.loadedAt() < SECRET_TTL_NANOS) {
            return c.secret();
        }
        SecretStore.Secret s = secrets.secret(credential);
        cache.put(credential, new Cached(s, System.nanoTime()));
        return s;
    }

    /** Forgets and clears every decrypted secret. */
    void clear() {
        cache.values().forEach(c -> Arrays.fill(c.secret().secret(), '\0'));
        cache.clear();
    }

    boolean isControlServer(ServerRef server) {
        Database.ServerAddress a = control.address();
        if (a.port() != server.port()) {
            return false;
        }
        if (a.host().equalsIgnoreCase(server.host()) || isLoopback(a.host()) && isLoopback(server.host())) {
            return true;
        }
        try {
            return InetAddress.getByName(a.host()).equals(InetAddress.getByName(server.host()));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("127.0.0.1") || h.equals("::1") || h.equals("[::1]");
    }

    /**
     * A new connection to {@code database} on {@code server}.
     *
     * @param credential    the credential to log in with; empty means the agent's own login, allowed on the
     *                      control database's server only
     * @param role          what the credential is for, for messages ("credential of step 1")
     * @param timeoutMillis bound on connecting and logging in
     */
    Connection connect(ServerRef server, String database, Optional<String> credential, String role,
                       long timeoutMillis) throws SQLException {
        int seconds = (int) Math.max(1, Math.min(30, (timeoutMillis + 999) / 1000));
        PGSimpleDataSource ds;
        if (credential.isPresent()) {
            SecretStore.Secret s = secret(credential.get());
            ds = new PGSimpleDataSource();
            ds.setServerNames(new String[] {server.host()});
            ds.setPortNumbers(new int[] {server.port()});
            ds.setDatabaseName(database);
            ds.setUser(s.identity());
            ds.setPassword(new String(s.secret()));
        } else if (isControlServer(server)) {
            DataSource d = control.dataSource(database);
            if (!(d instanceof PGSimpleDataSource p)) {
                return d.getConnection();
            }
            ds = p;
        } else {
            throw new SQLException("no credential: the " + role + " is not set, and only the control database's own "
                    + "server may be reached with the agent's login (set credential_name)", "28000");
        }
        ds.setConnectTimeout(seconds);
        ds.setLoginTimeout(seconds);
        ds.setTcpKeepAlive(true);
        ds.setApplicationName("wwi elastic jobs");
        return ds.getConnection();
    }

    /**
     * A one-line, secret-free explanation of a failed connection or statement: "cannot connect
     * to …", "login refused …", or the server's message with its SQLSTATE.
     */
    static String describe(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String m = Sql.firstLine(e);
        if (state.startsWith("08") || state.isEmpty() && e.getCause() instanceof java.io.IOException) {
            return "cannot connect: " + m + " (SQL state " + (state.isEmpty() ? "08001" : state) + ")";
        }
        if (state.startsWith("28")) {
            return "login refused: " + m + " (SQL state " + state + "; check the credential's identity and secret)";
        }
        if (state.equals("3D000")) {
            return "no such database: " + m + " (SQL state 3D000)";
        }
        return m + (state.isEmpty() ? "" : " (SQL state " + state + ")");
    }
}
