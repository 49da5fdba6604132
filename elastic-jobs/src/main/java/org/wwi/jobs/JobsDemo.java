package org.wwi.jobs;

import org.postgresql.util.PasswordUtil;
import org.wwi.control.SecretStore;
import org.wwi.platform.Database;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The elastic-jobs stage of {@code wwi demo}: a pool of tenant databases on the demo server,
 * the roles and credentials the shipped jobs use, the jobs synced from their files, and the
 * three shipped jobs run by an in-process executor. Every run rotates both demo credentials.
 */
public final class JobsDemo {
    public static final List<String> TENANTS = List.of("wwi_tenant_retail", "wwi_tenant_sales",
            "wwi_tenant_marketing", "wwi_tenant_finance");
    public static final List<String> JOBS = List.of("tenant-schema", "tenant-telemetry", "rotate-tenant-app-password");
    static final String SERVER = "demo";
    static final String POOL = "tenants";
    static final String GROUP = "wwi_tenants";
    static final String RUNNER = "wwi_job_runner";
    static final String APP_ROLE = "wwi_tenant_app";
    static final String APP_CREDENTIAL = "wwi_tenant_app_password";
    private static final SecureRandom RANDOM = new SecureRandom();

    private JobsDemo() {
    }

    /** What the stage did: the target rows of the three executions, and a one-line summary. */
    public record Result(List<ExecutionRow> targets, String summary) {
    }

    public static Result run(Database db, Path home, Path stateDir) {
        SecretStore secrets = SecretStore.open(db, stateDir);
        if (!secrets.hasMasterKey()) {
            char[] pw = randomSecret(32);
            try {
                secrets.createMasterKey(pw); // kept by the service key only: the password is not shown
            } finally {
                Arrays.fill(pw, '\0');
            }
        }
        ElasticJobs jobs = ElasticJobs.open(db, home, secrets);
        prepareRolesAndDatabases(db, jobs);
        jobs.putServer(SERVER, db.address().host(), db.address().port(), "postgres");
        if (jobs.pools().stream().noneMatch(p -> p.server().equals(SERVER) && p.name().equals(POOL))) {
            jobs.addPool(SERVER, POOL, TENANTS.size());
        }
        for (String t : TENANTS) {
            jobs.addPoolDatabase(SERVER, POOL, t);
        }
        if (!jobs.targetGroups().contains(GROUP)) {
            jobs.addTargetGroup(GROUP);
        }
        if (jobs.members(Optional.of(GROUP)).isEmpty()) {
            jobs.addMember(GROUP, "Include", "PostgresElasticPool", null, SERVER, null, POOL);
        }
        List<JobFiles.Loaded> files = JobFiles.readProject(home).stream()
                .filter(l -> JOBS.contains(l.job().name())).toList();
        if (files.size() != JOBS.size()) {
            throw new ElasticJobsException(JobsErrorCode.JOB_FILE_INVALID, "Cannot run the elastic-jobs demo: "
                    + "expected jobs " + JOBS + " in " + JobFiles.FOLDER + ", found "
                    + files.stream().map(l -> l.job().name()).toList());
        }
        JobFiles.sync(jobs, files);
        List<ExecutionRow> targets = new ArrayList<>();
        ExecutorSettings fast = ExecutorSettings.defaults().withPollInterval(Duration.ofMillis(100))
                .withShutdownGrace(Duration.ofSeconds(5));
        JobsExecutor executor = JobsExecutor.start(db, secrets, home, fast, line -> { });
        try {
            List<UUID> ids = new ArrayList<>();
            for (String job : JOBS) {
                ids.add(jobs.start(job));
            }
            for (UUID id : ids) {
                jobs.awaitEnd(id, Duration.ofSeconds(120));
                jobs.execution(id).stream().filter(ExecutionRow::isTarget).forEach(targets::add);
            }
        } finally {
            executor.close();
        }
        long ok = targets.stream().filter(t -> t.lifecycle().isSuccess()).count();
        long rows = countOrZero(db, "wwi_job_output", "select count(*) from public.tenant_telemetry");
        String summary = JOBS.size() + " jobs on pool " + POOL + " (" + TENANTS.size() + " tenant databases): " + ok
                + "/" + targets.size() + " targets succeeded; tenant_telemetry in wwi_job_output has " + rows + " rows";
        return new Result(targets, summary);
    }

    private static void prepareRolesAndDatabases(Database db, ElasticJobs jobs) {
        char[] runnerSecret = randomSecret(24);
        char[] appSecret = randomSecret(24);
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            if (!exists(c, "select 1 from pg_roles where rolname = ?", RUNNER)) {
                s.execute("create role " + RUNNER + " login createrole");
            }
            if (!exists(c, "select 1 from pg_roles where rolname = ?", APP_ROLE)) {
                s.execute("create role " + APP_ROLE + " login");
            }
            s.execute("grant " + APP_ROLE + " to " + RUNNER + " with admin option");
            // the runner's password goes to the server as a SCRAM verifier, never in clear
            s.execute(PasswordUtil.genAlterUserPasswordSQL(RUNNER, runnerSecret.clone(), "scram-sha-256"));
            for (String t : TENANTS) {
                if (!exists(c, "select 1 from pg_database where datname = ?", t)) {
                    s.execute("create database " + t + " owner " + RUNNER);
                }
            }
        } catch (SQLException e) {
            throw new ElasticJobsException(JobsErrorCode.DATABASE_FAILED, "Cannot prepare the demo tenants on "
                    + db.description() + ": " + Sql.firstLine(e), e);
        }
        putCredential(jobs, RUNNER, RUNNER, runnerSecret);
        putCredential(jobs, APP_CREDENTIAL, APP_ROLE, appSecret);
    }

    private static void putCredential(ElasticJobs jobs, String name, String identity, char[] secret) {
        if (jobs.secrets().credential(name).isPresent()) {
            jobs.alterCredential(name, identity, secret);
        } else {
            jobs.addCredential(name, identity, secret);
        }
    }

    private static boolean exists(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static long countOrZero(Database db, String database, String sql) {
        try (Connection c = db.dataSource(database).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return 0;
        }
    }

    static char[] randomSecret(int length) {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet.charAt(RANDOM.nextInt(alphabet.length()));
        }
        return out;
    }
}
