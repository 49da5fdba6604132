package org.wwi.jobs;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.util.PasswordUtil;
import org.wwi.control.SecretStore;
import org.wwi.platform.WwiException;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Runs one attempt of one step on one target in its own connection, with
 * {@code statement_timeout} set to the time left before the step's time-out and a JDBC cancel
 * as a backstop, and says how it ended. Secrets used by the attempt are removed from every
 * message it produces.
 */
final class Attempt {
    /** Grace after the deadline before the JDBC cancel, should statement_timeout not fire (network stall). */
    static final long CANCEL_GRACE_MILLIS = 1000;

    private final RunningAttempt running;
    private final Task task;
    private final TargetConnector connector;
    private final OutputWriter output;
    private final Path home;
    private final List<String> secretsUsed = new ArrayList<>();

    Attempt(RunningAttempt running, TargetConnector connector, OutputWriter output, Path home) {
        this.running = running;
        this.task = running.task;
        this.connector = connector;
        this.output = output;
        this.home = home;
    }

    /** A captured result set: column names and PostgreSQL type names, rows as text. */
    record Captured(List<String> columns, List<String> types, List<String[]> rows) {
    }

    Outcome run() {
        long started = System.nanoTime();
        Instant deadline = task.deadline();
        long remaining = Duration.between(Instant.now(), deadline).toMillis();
        if (remaining <= 0) {
            return outcome(Lifecycle.TimedOut, "Timed out before attempt " + task.attempt() + ": step_timeout_seconds ("
                    + task.step().timeoutSeconds() + " s) elapsed since the step started on this target at "
                    + task.stepStart(), null);
        }
        try {
            String done;
            if (task.step().commandType().equals("FlywayMigrations")) {
                done = migrate(remaining);
            } else {
                done = sql(remaining);
            }
            return outcome(Lifecycle.Succeeded, "Succeeded in attempt " + task.attempt() + " ("
                    + (System.nanoTime() - started) / 1_000_000 + " ms)" + (done.isEmpty() ? "" : ": " + done), null);
        } catch (SQLException | FlywayException | WwiException e) {
            return failed(e, deadline);
        }
    }

    private String sql(long remaining) throws SQLException {
        Captured captured = null;
        try (Connection c = open(remaining)) {
            try (Statement s = c.createStatement()) {
                boolean isResult = s.execute(task.step().command());
                if (task.step().output().isPresent()) {
                    while (!isResult && s.getUpdateCount() != -1) {
                        isResult = s.getMoreResults();
                    }
                    if (isResult) {
                        try (ResultSet rs = s.getResultSet()) {
                            captured = capture(rs);
                        }
                    }
                }
            }
        } finally {
            checkCanceled();
        }
        if (task.step().output().isPresent()) {
            if (captured == null) {
                return "no result set to write to " + task.step().output().get().describe();
            }
            int n = output.write(task.step().output().get(), task, captured);
            return n + " row" + (n == 1 ? "" : "s") + " written to " + task.step().output().get().describe();
        }
        return "";
    }

    private void checkCanceled() throws SQLException {
        if (running.reason() != RunningAttempt.Reason.NONE) {
            throw new SQLException("canceled", "57014");
        }
    }

    private String migrate(long remaining) throws SQLException {
        String location = flywayLocation(task.step().command(), home);
        Flyway flyway = Flyway.configure(Attempt.class.getClassLoader())
                .dataSource(new AttemptDataSource(remaining))
                .locations(location)
                .createSchemas(true)
                .connectRetries(0)
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                .loggers("slf4j")
                .load();
        MigrateResult r = flyway.migrate();
        checkCanceled();
        int n = r.migrationsExecuted;
        String version = r.targetSchemaVersion != null ? r.targetSchemaVersion
                : r.initialSchemaVersion == null ? "none" : r.initialSchemaVersion;
        return n == 0 ? "schema up to date at version " + version
                : "applied " + n + " migration" + (n == 1 ? "" : "s") + ", now at version " + version;
    }

    /** The Flyway location of a FlywayMigrations step's command: a folder relative to the project, or a location. */
    static String flywayLocation(String command, Path home) {
        String c = command.strip();
        if (c.startsWith("classpath:") || c.startsWith("filesystem:")) {
            return c;
        }
        Path p = Path.of(c);
        if (p.isAbsolute()) {
            return "filesystem:" + p;
        }
        Path inHome = home.resolve(p).normalize();
        return Files.isDirectory(inHome) ? "filesystem:" + inHome : "classpath:wwi/" + c.replace('\\', '/');
    }

    /** A connection for this attempt: registered for cancel, time-limited, with the step's credential parameters. */
    private Connection open(long remaining) throws SQLException {
        checkCanceled();
        Connection c = connector.connect(task.server(), task.database(), task.step().credential(),
                "credential of step " + task.stepName(), remaining);
        task.step().credential().ifPresent(name -> secretsUsed.add(new String(connector.secret(name).secret())));
        running.opened(c);
        try {
            StringBuilder q = new StringBuilder("select set_config('statement_timeout', ?, false), "
                    + "set_config('client_connection_check_interval', '2000', false)");
            List<String> values = new ArrayList<>();
            long left = Math.max(1, Duration.between(Instant.now(), task.deadline()).toMillis());
            values.add(Long.toString(Math.min(Integer.MAX_VALUE, left)));
            for (String name : task.step().credentialParameters()) {
                SecretStore.Secret s = connector.secret(name);
                secretsUsed.add(new String(s.secret()));
                String verifier = PasswordUtil.encodePassword(s.identity(), s.secret().clone(), "scram-sha-256");
                secretsUsed.add(verifier);
                q.append(", set_config(?, ?, false), set_config(?, ?, false)");
                values.add("wwi.credential." + name + ".identity");
                values.add(s.identity());
                values.add("wwi.credential." + name + ".scram_sha_256");
                values.add(verifier);
            }
            try (PreparedStatement ps = c.prepareStatement(q.toString())) {
                for (int i = 0; i < values.size(); i++) {
                    ps.setString(i + 1, values.get(i));
                }
                ps.executeQuery().close();
            }
            return new ClosingConnection(c, running).proxy();
        } catch (SQLException | RuntimeException e) {
            running.closed(c);
            c.close();
            throw e;
        }
    }

    static Captured capture(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            columns.add(md.getColumnLabel(i));
            types.add(md.getColumnTypeName(i));
        }
        List<String[]> rows = new ArrayList<>();
        while (rs.next()) {
            String[] row = new String[columns.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = rs.getString(i + 1);
            }
            rows.add(row);
        }
        return new Captured(columns, types, rows);
    }

    private Outcome failed(Exception e, Instant deadline) {
        RunningAttempt.Reason reason = running.reason();
        String cause = e instanceof SQLException s ? TargetConnector.describe(s) : Sql.firstLine(e);
        if (e instanceof SQLException s && !Sql.position(s, task.step().command()).isEmpty()
                && !task.step().commandType().equals("FlywayMigrations")) {
            cause = "script error at " + Sql.position(s, task.step().command()) + ": " + cause;
        }
        if (reason == RunningAttempt.Reason.STOPPED) {
            return outcome(Lifecycle.Canceled, "Canceled by jobs.sp_stop_job during attempt " + task.attempt(), null);
        }
        if (reason == RunningAttempt.Reason.RELEASED) {
            return outcome(Lifecycle.Canceled, "Interrupted: the agent stopped during attempt " + task.attempt(), null);
        }
        boolean queryCanceled = e instanceof SQLException s && "57014".equals(s.getSQLState());
        if (reason == RunningAttempt.Reason.TIMED_OUT
                || queryCanceled && !Instant.now().plusMillis(200).isBefore(deadline)) {
            return outcome(Lifecycle.TimedOut, "Timed out during attempt " + task.attempt() + ": step_timeout_seconds ("
                    + task.step().timeoutSeconds() + " s, measured from the step's start on this target at "
                    + task.stepStart() + ") elapsed; " + cause, null);
        }
        int failures = task.attempt() - task.interrupted();
        Backoff b = task.step().backoff();
        String failed = "Attempt " + task.attempt() + " failed: " + cause;
        if (!b.retryAfter(failures)) {
            return outcome(Lifecycle.Failed, failed + (b.retryAttempts() == 0 ? " (retry_attempts is 0)"
                    : " (no retries left of retry_attempts " + b.retryAttempts() + ")"), null);
        }
        Instant next = Instant.now().plus(b.delayAfter(failures));
        if (!next.isBefore(deadline)) {
            return outcome(Lifecycle.TimedOut, failed + "; step_timeout_seconds (" + task.step().timeoutSeconds()
                    + " s) leaves no time for retry " + failures + " of " + b.retryAttempts(), null);
        }
        return outcome(Lifecycle.WaitingForRetry, failed + "; retry " + failures + " of " + b.retryAttempts()
                + " at " + next, next);
    }

    private Outcome outcome(Lifecycle l, String message, Instant next) {
        return new Outcome(task.taskId(), task.executionId(), task.target(), l, redact(message, secretsUsed),
                Optional.ofNullable(next));
    }

    /** {@code message} with every occurrence of a secret replaced by ***. */
    static String redact(String message, List<String> secrets) {
        String m = message;
        for (String s : secrets) {
            if (s != null && s.length() >= 3) {
                m = m.replace(s, "***");
            }
        }
        return m;
    }

    /** Flyway's connections: new, registered, time-limited connections of this attempt. */
    private final class AttemptDataSource implements DataSource {
        private final long remaining;

        AttemptDataSource(long remaining) {
            this.remaining = remaining;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return open(remaining);
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("credentials come from the job step");
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
