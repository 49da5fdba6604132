package org.wwi.jobs;

import org.wwi.control.SecretStore;
import org.wwi.platform.Database;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Elastic jobs in a control database: the same operations as the {@code jobs.sp_*} SQL functions
 * (which this class calls, so that psql, the CLI and YAML files share one implementation), the
 * views read back as records, target resolution and credentials. Thread-safe; each call uses a
 * new connection.
 */
public final class ElasticJobs {
    private final Database control;
    private final DataSource ds;
    private final SecretStore secrets;
    private final Path home;

    private ElasticJobs(Database control, SecretStore secrets, Path home) {
        this.control = requireNonNull(control, "control is null");
        this.ds = control.dataSource();
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.home = requireNonNull(home, "home is null");
    }

    /** Elastic jobs of {@code control}; credentials are opened with the service key of {@code stateDir}. */
    public static ElasticJobs open(Database control, Path home, Path stateDir) {
        return new ElasticJobs(control, SecretStore.open(control, stateDir), home);
    }

    public static ElasticJobs open(Database control, Path home, SecretStore secrets) {
        return new ElasticJobs(control, secrets, home);
    }

    public Database control() {
        return control;
    }

    SecretStore secrets() {
        return secrets;
    }

    Path home() {
        return home;
    }

    // ---------------------------------------------------------------- servers and pools

    /** A registered server. */
    public record ServerInfo(String name, String host, int port, String maintenanceDatabase) {
    }

    /** An elastic pool and its databases. */
    public record PoolInfo(String server, String name, Optional<Integer> maxParallelism, List<String> databases) {
    }

    public void addServer(String name, String host, int port, String maintenanceDatabase) {
        call("add server " + name, "select jobs.sp_add_server(server_name => ?, host => ?, port => ?, "
                + "maintenance_database => ?)", name, host, port, maintenanceDatabase);
    }

    /** Adds the server, or changes its host and port when it exists. */
    public void putServer(String name, String host, int port, String maintenanceDatabase) {
        if (servers().stream().anyMatch(s -> s.name().equals(name))) {
            call("update server " + name, "select jobs.sp_update_server(server_name => ?, host => ?, port => ?, "
                    + "maintenance_database => ?)", name, host, port, maintenanceDatabase);
        } else {
            addServer(name, host, port, maintenanceDatabase);
        }
    }

    public void deleteServer(String name) {
        call("delete server " + name, "select jobs.sp_delete_server(server_name => ?)", name);
    }

    public List<ServerInfo> servers() {
        return query("list servers", "select server_name, host, port, maintenance_database from jobs.servers "
                + "order by server_name", rs -> new ServerInfo(rs.getString(1), rs.getString(2), rs.getInt(3),
                rs.getString(4)));
    }

    public void addPool(String server, String pool, Integer maxParallelism) {
        call("add elastic pool " + pool, "select jobs.sp_add_elastic_pool(server_name => ?, elastic_pool_name => ?, "
                + "max_parallelism => ?)", server, pool, maxParallelism);
    }

    /** Changes a pool's limit; null removes it. */
    public void setPoolMaxParallelism(String server, String pool, Integer maxParallelism) {
        call("update elastic pool " + pool, "select jobs.sp_update_elastic_pool(server_name => ?, "
                + "elastic_pool_name => ?, max_parallelism => ?)", server, pool, maxParallelism == null ? -1
                : maxParallelism);
    }

    public void deletePool(String server, String pool) {
        call("delete elastic pool " + pool, "select jobs.sp_delete_elastic_pool(server_name => ?, "
                + "elastic_pool_name => ?)", server, pool);
    }

    public void addPoolDatabase(String server, String pool, String database) {
        call("add database " + database + " to pool " + pool, "select jobs.sp_add_elastic_pool_database("
                + "server_name => ?, elastic_pool_name => ?, database_name => ?)", server, pool, database);
    }

    public void removePoolDatabase(String server, String database) {
        call("remove database " + database + " from its pool", "select jobs.sp_delete_elastic_pool_database("
                + "server_name => ?, database_name => ?)", server, database);
    }

    public List<PoolInfo> pools() {
        Map<String, PoolInfo> pools = new LinkedHashMap<>();
        query("list elastic pools", "select p.server_name, p.elastic_pool_name, p.max_parallelism, d.database_name "
                + "from jobs.elastic_pools p left join jobs.elastic_pool_databases d on d.server_name = p.server_name "
                + "and d.elastic_pool_name = p.elastic_pool_name order by 1, 2, 4", rs -> {
                    String key = rs.getString(1) + "/" + rs.getString(2);
                    PoolInfo p = pools.computeIfAbsent(key, k -> {
                        try {
                            int max = rs.getInt(3);
                            return new PoolInfo(rs.getString(1), rs.getString(2),
                                    rs.wasNull() ? Optional.empty() : Optional.of(max), new ArrayList<>());
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    if (rs.getString(4) != null) {
                        p.databases().add(rs.getString(4));
                    }
                    return p;
                });
        return pools.values().stream().map(p -> new PoolInfo(p.server(), p.name(), p.maxParallelism(),
                List.copyOf(p.databases()))).toList();
    }

    // ---------------------------------------------------------------- target groups

    /** A member of a target group (jobs.target_group_members). */
    public record Member(String targetGroup, UUID targetId, String membershipType, String targetType,
                         Optional<String> refreshCredential, String server, Optional<String> database,
                         Optional<String> elasticPool) {
        public String describe() {
            return membershipType + " " + targetType + " " + server + database.map(d -> "/" + d).orElse("")
                    + elasticPool.map(p -> " pool " + p).orElse("");
        }
    }

    public UUID addTargetGroup(String name) {
        return callReturning("add target group " + name, "select jobs.sp_add_target_group(target_group_name => ?)",
                rs -> rs.getObject(1, UUID.class), name);
    }

    public void deleteTargetGroup(String name, boolean force) {
        call("delete target group " + name, "select jobs.sp_delete_target_group(target_group_name => ?, force => ?)",
                name, force);
    }

    /**
     * Adds a member to a target group.
     *
     * @param membershipType Include or Exclude
     * @param targetType     PostgresServer, PostgresElasticPool or PostgresDatabase
     */
    public UUID addMember(String group, String membershipType, String targetType, String refreshCredential,
                          String server, String database, String elasticPool) {
        return callReturning("add a member to target group " + group, "select jobs.sp_add_target_group_member("
                        + "target_group_name => ?, membership_type => ?, target_type => ?, refresh_credential_name => ?, "
                        + "server_name => ?, database_name => ?, elastic_pool_name => ?)", rs -> rs.getObject(1, UUID.class),
                group, membershipType, targetType, refreshCredential, server, database, elasticPool);
    }

    public void deleteMember(String group, UUID targetId) {
        call("delete a member of target group " + group, "select jobs.sp_delete_target_group_member("
                + "target_group_name => ?, target_id => ?)", group, targetId);
    }

    public List<String> targetGroups() {
        return query("list target groups", "select target_group_name from jobs.target_groups order by 1",
                rs -> rs.getString(1));
    }

    public List<Member> members(Optional<String> group) {
        return query("list target group members", "select target_group_name, target_id, membership_type, target_type, "
                        + "refresh_credential_name, server_name, database_name, elastic_pool_name from jobs.target_group_members "
                        + "where ?::text is null or target_group_name = ? order by 1, membership_type desc, 4, 6, 7, 8",
                rs -> new Member(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                        Optional.ofNullable(rs.getString(5)), rs.getString(6), Optional.ofNullable(rs.getString(7)),
                        Optional.ofNullable(rs.getString(8))), group.orElse(null), group.orElse(null));
    }

    /** The databases a target group means now, as a job step would run on them. */
    public TargetResolver.Resolution resolve(String group) {
        try (Connection c = ds.getConnection()) {
            return new TargetResolver(control, secrets).resolve(c, group);
        } catch (SQLException e) {
            throw ElasticJobsException.of("resolve target group " + group, e);
        }
    }

    // ---------------------------------------------------------------- jobs

    /** What {@link #define} did. */
    public enum DefineOutcome { CREATED, UPDATED, UNCHANGED }

    public UUID addJob(String name, String description, boolean enabled, JobDefinition.Schedule schedule) {
        return Sql.inTransaction(ds, "add job " + name, c -> addJob(c, name, description, enabled, schedule));
    }

    private static UUID addJob(Connection c, String name, String description, boolean enabled,
                               JobDefinition.Schedule s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select jobs.sp_add_job(job_name => ?, description => ?, "
                + "enabled => ?, schedule_interval_type => ?, schedule_interval_count => ?, schedule_start_time => "
                + "coalesce(?, '0001-01-01 00:00:00+00'::timestamptz), schedule_end_time => "
                + "coalesce(?, '9999-12-31 23:59:59+00'::timestamptz), schedule_cron => ?, schedule_time_zone => ?)")) {
            bind(ps, name, description, enabled, s.intervalType(), s.intervalCount(), ts(s.start()), ts(s.end()),
                    s.cron().orElse(null), s.timeZone());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        }
    }

    /** Adds a step at the end of a job; returns the new job version. */
    public int addStep(String job, JobDefinition.Step step) {
        return Sql.inTransaction(ds, "add step " + step.name() + " to job " + job, c -> addStep(c, job, step));
    }

    private static int addStep(Connection c, String job, JobDefinition.Step s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select jobs.sp_add_jobstep(job_name => ?, step_name => ?, "
                + "command_type => ?, command => ?, credential_name => ?, target_group_name => ?, "
                + "initial_retry_interval_seconds => ?, maximum_retry_interval_seconds => ?, "
                + "retry_interval_backoff_multiplier => ?, retry_attempts => ?, step_timeout_seconds => ?, "
                + "output_type => ?, output_credential_name => ?, output_server_name => ?, output_database_name => ?, "
                + "output_schema_name => ?, output_table_name => ?, max_parallelism => ?, credential_parameters => ?)")) {
            Optional<JobDefinition.Output> o = s.output();
            Array params = c.createArrayOf("text", s.credentialParameters().toArray());
            bind(ps, job, s.name(), s.commandType(), s.command(), s.credential().orElse(null), s.targetGroup(),
                    s.initialRetryIntervalSeconds(), s.maximumRetryIntervalSeconds(),
                    (float) s.retryIntervalBackoffMultiplier(), s.retryAttempts(), s.stepTimeoutSeconds(),
                    o.isPresent() ? "PostgresDatabase" : null, o.flatMap(JobDefinition.Output::credential).orElse(null),
                    o.map(JobDefinition.Output::server).orElse(null), o.map(JobDefinition.Output::database).orElse(null),
                    o.map(JobDefinition.Output::schema).orElse("public"), o.map(JobDefinition.Output::table).orElse(null),
                    s.maxParallelism().orElse(null), params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    public void deleteJob(String name, boolean force) {
        call("delete job " + name, "select jobs.sp_delete_job(job_name => ?, force => ?)", name, force);
    }

    public void enableJob(String name, boolean enabled) {
        call("update job " + name, "select jobs.sp_update_job(job_name => ?, enabled => ?)", name, enabled);
    }

    /**
     * Makes the job in the control database equal to {@code def} in one transaction (one
     * version bump at most): created when absent, left alone when equal, otherwise updated with
     * its steps replaced.
     */
    public DefineOutcome define(JobDefinition def, Optional<String> definedIn) {
        requireNonNull(def, "def is null");
        return Sql.inTransaction(ds, "define job " + def.name(), c -> {
            Optional<JobDefinition> current = job(c, def.name());
            DefineOutcome outcome;
            if (current.isEmpty()) {
                addJob(c, def.name(), def.description(), def.enabled(), def.schedule());
                for (JobDefinition.Step s : def.steps()) {
                    addStep(c, def.name(), s);
                }
                outcome = DefineOutcome.CREATED;
            } else if (current.get().equals(def)) {
                outcome = DefineOutcome.UNCHANGED;
            } else {
                JobDefinition.Schedule s = def.schedule();
                try (PreparedStatement ps = c.prepareStatement("select jobs.sp_update_job(job_name => ?, "
                        + "description => ?, enabled => ?, schedule_interval_type => ?, schedule_interval_count => ?, "
                        + "schedule_start_time => coalesce(?, '0001-01-01 00:00:00+00'::timestamptz), "
                        + "schedule_end_time => coalesce(?, '9999-12-31 23:59:59+00'::timestamptz), "
                        + "schedule_cron => ?, schedule_time_zone => ?)")) {
                    bind(ps, def.name(), def.description(), def.enabled(), s.intervalType(), s.intervalCount(),
                            ts(s.start()), ts(s.end()), s.cron().orElse(""), s.timeZone());
                    ps.executeQuery().close();
                }
                if (!current.get().steps().equals(def.steps())) {
                    for (int i = current.get().steps().size(); i >= 1; i--) {
                        try (PreparedStatement ps = c.prepareStatement(
                                "select jobs.sp_delete_jobstep(job_name => ?, step_id => ?)")) {
                            bind(ps, def.name(), i);
                            ps.executeQuery().close();
                        }
                    }
                    for (JobDefinition.Step st : def.steps()) {
                        addStep(c, def.name(), st);
                    }
                }
                outcome = DefineOutcome.UPDATED;
            }
            try (PreparedStatement ps = c.prepareStatement("update jobs.job set defined_in = ?, definition_hash = ? "
                    + "where job_name = ?")) {
                bind(ps, definedIn.orElse(null), Integer.toHexString(def.hashCode()), def.name());
                ps.executeUpdate();
            }
            return outcome;
        });
    }

    /** The current version of a job as a definition. */
    public Optional<JobDefinition> job(String name) {
        try (Connection c = ds.getConnection()) {
            return job(c, name);
        } catch (SQLException e) {
            throw ElasticJobsException.of("read job " + name, e);
        }
    }

    /** The version of a job's current definition, if it exists. */
    public Optional<Integer> jobVersion(String name) {
        List<Integer> v = query("read job " + name, "select job_version from jobs.jobs where job_name = ?",
                rs -> rs.getInt(1), name);
        return v.stream().findFirst();
    }

    private static Optional<JobDefinition> job(Connection c, String name) throws SQLException {
        JobDefinition.Schedule schedule;
        String description;
        boolean enabled;
        try (PreparedStatement ps = c.prepareStatement("select description, enabled, schedule_interval_type, "
                + "schedule_interval_count, schedule_start_time, schedule_end_time, schedule_cron, schedule_time_zone "
                + "from jobs.jobs where job_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                description = rs.getString(1);
                enabled = rs.getBoolean(2);
                schedule = new JobDefinition.Schedule(rs.getString(3), rs.getInt(4), instant(rs, 5), instant(rs, 6),
                        Optional.ofNullable(rs.getString(7)), rs.getString(8));
            }
        }
        List<JobDefinition.Step> steps = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select step_name, command_type, command, target_group_name, "
                + "credential_name, credential_parameters, retry_attempts, initial_retry_interval_seconds, "
                + "maximum_retry_interval_seconds, retry_interval_backoff_multiplier, step_timeout_seconds, "
                + "max_parallelism, output_type, output_server_name, output_database_name, output_schema_name, "
                + "output_table_name, output_credential_name from jobs.jobsteps where job_name = ? order by step_id")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int max = rs.getInt(12);
                    Optional<Integer> maxParallelism = rs.wasNull() ? Optional.empty() : Optional.of(max);
                    Optional<JobDefinition.Output> output = rs.getString(13) == null ? Optional.empty()
                            : Optional.of(new JobDefinition.Output(rs.getString(14), rs.getString(15), rs.getString(16),
                            rs.getString(17), Optional.ofNullable(rs.getString(18))));
                    steps.add(new JobDefinition.Step(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4) == null ? "(deleted target group)" : rs.getString(4),
                            Optional.ofNullable(rs.getString(5)), List.of((String[]) rs.getArray(6).getArray()),
                            rs.getInt(7), rs.getInt(8), rs.getInt(9), Math.round(rs.getFloat(10) * 1000) / 1000.0, rs.getInt(11),
                            maxParallelism, output));
                }
            }
        }
        return Optional.of(new JobDefinition(name, description, enabled, schedule, steps));
    }

    public List<JobSummary> jobs() {
        return query("list jobs", "select j.job_name, j.job_version, j.enabled, j.schedule_interval_type, "
                + "j.schedule_interval_count, j.schedule_start_time, j.schedule_end_time, j.schedule_cron, "
                + "j.schedule_time_zone, (select count(*) from jobs.jobsteps s where s.job_id = j.job_id), j.defined_in, "
                + "l.job_execution_id, l.lifecycle, l.start_time from jobs.jobs j left join lateral (select "
                + "e.job_execution_id, e.lifecycle, coalesce(e.start_time, e.create_time) as start_time from jobs.execution e "
                + "where e.job_id = j.job_id order by e.create_time desc limit 1) l on true order by j.job_name", rs -> {
                    JobDefinition.Schedule s = new JobDefinition.Schedule(rs.getString(4), rs.getInt(5), instant(rs, 6),
                            instant(rs, 7), Optional.ofNullable(rs.getString(8)), rs.getString(9));
                    return new JobSummary(rs.getString(1), rs.getInt(2), rs.getBoolean(3), s.describe(), rs.getInt(10),
                            Optional.ofNullable(rs.getString(11)), Optional.ofNullable(rs.getObject(12, UUID.class)),
                            Optional.ofNullable(rs.getString(13)).map(Lifecycle::valueOf), instant(rs, 14));
                });
    }

    // ---------------------------------------------------------------- executions

    /** {@code jobs.sp_start_job}: the new execution's id. An agent picks it up within a second. */
    public UUID start(String job) {
        return callReturning("start job " + job, "select jobs.sp_start_job(job_name => ?)",
                rs -> rs.getObject(1, UUID.class), job);
    }

    /** {@code jobs.sp_stop_job}. */
    public void stop(UUID execution) {
        call("stop job execution " + execution, "select jobs.sp_stop_job(job_execution_id => ?)", execution);
    }

    /** {@code jobs.sp_purge_jobhistory}: deletes ended executions created before {@code olderThan}. */
    public long purge(String job, Optional<Instant> olderThan) {
        return callReturning("purge the history of job " + job, "select jobs.sp_purge_jobhistory(job_name => ?, "
                + "oldest_date => ?)", rs -> rs.getLong(1), job, ts(olderThan));
    }

    /** {@code jobs.sp_purge_jobhistory} by job id. */
    public long purge(UUID jobId, Optional<Instant> olderThan) {
        return callReturning("purge the history of job " + jobId, "select jobs.sp_purge_jobhistory(job_id => ?, "
                + "oldest_date => ?)", rs -> rs.getLong(1), jobId, ts(olderThan));
    }

    private static final String EXECUTION_COLUMNS = "job_execution_id, job_name, job_version, step_id, step_name, "
            + "lifecycle, target_type, target_server_name, target_database_name, target_elastic_pool_name, "
            + "current_attempts, create_time, start_time, end_time, next_attempt_start_time, last_message";

    private static ExecutionRow executionRow(ResultSet rs) throws SQLException {
        int step = rs.getInt(4);
        Optional<Integer> stepId = rs.wasNull() ? Optional.empty() : Optional.of(step);
        return new ExecutionRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3), stepId,
                Optional.ofNullable(rs.getString(5)), Lifecycle.valueOf(rs.getString(6)),
                Optional.ofNullable(rs.getString(7)), Optional.ofNullable(rs.getString(8)),
                Optional.ofNullable(rs.getString(9)), Optional.ofNullable(rs.getString(10)), rs.getInt(11),
                instant(rs, 12).orElseThrow(), instant(rs, 13), instant(rs, 14), instant(rs, 15),
                Optional.ofNullable(rs.getString(16)));
    }

    /** Every row of one execution: the job first, then each step followed by its targets. */
    public List<ExecutionRow> execution(UUID id) {
        List<ExecutionRow> rows = query("read job execution " + id, "select " + EXECUTION_COLUMNS
                + " from jobs.job_executions where job_execution_id = ? order by step_id nulls first, "
                + "(target_type = 'TargetGroup') desc, target_server_name, target_database_name", ElasticJobs::executionRow, id);
        if (rows.isEmpty()) {
            throw new ElasticJobsException(JobsErrorCode.EXECUTION_NOT_FOUND, "Cannot show job execution " + id
                    + ": it does not exist (wwi jobs history lists executions)");
        }
        return rows;
    }

    /** The latest execution of a job, if any. */
    public Optional<UUID> latestExecution(String job) {
        return query("read the executions of job " + job, "select e.job_execution_id from jobs.execution e join "
                + "jobs.job j on j.job_id = e.job_id where j.job_name = ? order by e.create_time desc limit 1",
                rs -> rs.getObject(1, UUID.class), job).stream().findFirst();
    }

    /** Job-level rows of past and running executions, newest first. */
    public List<ExecutionRow> history(Optional<String> job, int limit) {
        return query("read the job history", "select " + EXECUTION_COLUMNS + " from jobs.job_executions "
                        + "where step_id is null and (?::text is null or job_name = ?) order by create_time desc limit ?",
                ElasticJobs::executionRow, job.orElse(null), job.orElse(null), limit);
    }

    /** Waits until an execution has ended and returns its job-level row. */
    public ExecutionRow awaitEnd(UUID id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ExecutionRow job = execution(id).get(0);
            if (job.lifecycle().isFinal()) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new ElasticJobsException(JobsErrorCode.TIMED_OUT, "Cannot wait for job execution " + id
                        + ": still " + job.lifecycle() + " after " + timeout.toSeconds() + " s (is an agent running? "
                        + "start one with wwi agent)");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ElasticJobsException(JobsErrorCode.INTERRUPTED, "Interrupted while waiting for job execution "
                        + id, e);
            }
        }
    }

    // ---------------------------------------------------------------- credentials

    /** Adds a database scoped credential; the secret is encrypted at once and the array is cleared. */
    public void addCredential(String name, String identity, char[] secret) {
        try {
            secrets.createCredential(name, identity, secret);
        } finally {
            java.util.Arrays.fill(secret, '\0');
        }
    }

    public void alterCredential(String name, String identity, char[] secret) {
        try {
            secrets.alterCredential(name, identity, secret);
        } finally {
            java.util.Arrays.fill(secret, '\0');
        }
    }

    /** Drops a credential that no current job step or target group member uses. */
    public void dropCredential(String name) {
        List<String> users = query("check the users of credential " + name, "select 'job ' || job_name || ' step ' "
                + "|| step_name from jobs.jobsteps where ? in (credential_name, output_credential_name) or ? = any("
                + "credential_parameters) union all select 'target group ' || target_group_name from "
                + "jobs.target_group_members where refresh_credential_name = ?", rs -> rs.getString(1), name, name, name);
        if (!users.isEmpty()) {
            throw new ElasticJobsException(JobsErrorCode.REQUEST_INVALID, "Cannot drop credential " + name
                    + ": " + String.join(", ", users) + " use it (change them first)");
        }
        secrets.dropCredential(name);
    }

    public List<SecretStore.CredentialInfo> credentials() {
        return secrets.credentials();
    }

    public boolean hasMasterKey() {
        return secrets.hasMasterKey();
    }

    // ---------------------------------------------------------------- plumbing

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private void call(String what, String sql, Object... args) {
        callReturning(what, sql, rs -> null, args);
    }

    private <T> T callReturning(String what, String sql, RowMapper<T> mapper, Object... args) {
        return Sql.inTransaction(ds, what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return mapper.map(rs);
                }
            }
        });
    }

    <T> List<T> query(String what, String sql, RowMapper<T> mapper, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw ElasticJobsException.of(what, e);
        }
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                ps.setNull(i + 1, Types.OTHER);
            } else if (a instanceof Timestamp t) {
                ps.setObject(i + 1, t.toInstant().atOffset(ZoneOffset.UTC));
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }

    private static Timestamp ts(Optional<Instant> i) {
        return i.map(Timestamp::from).orElse(null);
    }

    static Optional<Instant> instant(ResultSet rs, int col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return Optional.ofNullable(t).map(OffsetDateTime::toInstant);
    }
}
