package org.wwi.jobs;

import org.wwi.control.SecretStore;
import org.wwi.platform.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Moves a job execution forward under a lock on its row (any agent may, one at a time): starts
 * it, resolves the targets of each step when the step starts, rolls the targets' outcomes up
 * into the step's when they have all ended, and ends the job after its last step or its first
 * step that did not succeed. Steps run one after the other; within a step, targets run in
 * parallel (the claim decides how many at once).
 */
final class Advancer {
    private final Database control;
    private final TargetResolver resolver;
    private final Consumer<String> log;

    Advancer(Database control, SecretStore secrets, Consumer<String> log) {
        this.control = control;
        this.resolver = new TargetResolver(control, secrets);
        this.log = log;
    }

    private record Head(Lifecycle lifecycle, Integer currentStep, boolean stopRequested, UUID jobId, int version,
                        String jobName) {
    }

    /** Advances the execution as far as it can go now; true when targets were created. */
    boolean advance(UUID id) throws SQLException {
        boolean created = false;
        for (int i = 0; i < 100; i++) {
            Step r = advanceOnce(id);
            created |= r == Step.TARGETS_CREATED;
            if (r != Step.AGAIN) {
                return created;
            }
        }
        return created;
    }

    private enum Step { DONE, AGAIN, TARGETS_CREATED }

    private Step advanceOnce(UUID id) throws SQLException {
        Connection c = connection();
        try {
            Step s = advanceLocked(c, id);
            c.commit();
            return s;
        } catch (SQLException | RuntimeException e) {
            Sql.rollbackQuietly(c, e);
            forget(c);
            throw e;
        }
    }

    /** Each advancing thread keeps one connection to the control database (connections are not cheap). */
    private final ThreadLocal<Connection> connections = new ThreadLocal<>();
    private final java.util.Set<Connection> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Connection connection() throws SQLException {
        Connection c = connections.get();
        if (c == null || c.isClosed()) {
            c = control.dataSource().getConnection();
            JobsExecutor.relaxCommits(c);
            c.setAutoCommit(false);
            connections.set(c);
            open.add(c);
        }
        return c;
    }

    private void forget(Connection c) {
        connections.remove();
        open.remove(c);
        try {
            c.close();
        } catch (SQLException e) {
            // broken already
        }
    }

    /** Closes the advancing threads' connections (after the threads stopped). */
    void close() {
        for (Connection c : open) {
            forget(c);
        }
    }

    private Step advanceLocked(Connection c, UUID id) throws SQLException {
        Head h;
        try (PreparedStatement ps = c.prepareStatement("select e.lifecycle, e.current_step_id, e.stop_requested, "
                + "e.job_id, e.job_version, j.job_name from jobs.execution e join jobs.job j on j.job_id = e.job_id "
                + "where e.job_execution_id = ? for update of e skip locked")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Step.DONE; // another agent holds it, or it was deleted
                }
                int step = rs.getInt(2);
                h = new Head(Lifecycle.valueOf(rs.getString(1)), rs.wasNull() ? null : step, rs.getBoolean(3),
                        rs.getObject(4, UUID.class), rs.getInt(5), rs.getString(6));
            }
        }
        if (h.lifecycle().isFinal()) {
            return Step.DONE;
        }
        if (h.lifecycle() == Lifecycle.Created) {
            if (h.stopRequested()) {
                endJob(c, id, h, Lifecycle.Canceled, "Canceled by jobs.sp_stop_job before it started");
                return Step.DONE;
            }
            exec(c, "update jobs.execution set lifecycle = 'InProgress', start_time = now() where job_execution_id = ?", id);
            log.accept("execution " + id + " of job " + h.jobName() + " (version " + h.version() + ") started");
            return startStep(c, id, h, 1);
        }
        int step = h.currentStep() == null ? 0 : h.currentStep();
        if (step == 0) {
            return startStep(c, id, h, 1);
        }
        Map<Lifecycle, Integer> counts = new EnumMap<>(Lifecycle.class);
        String firstProblem = null;
        try (PreparedStatement ps = c.prepareStatement("select lifecycle, target_server_name, target_database_name, "
                + "last_message from jobs.target_execution where job_execution_id = ? and step_id = ? order by task_id")) {
            ps.setObject(1, id);
            ps.setInt(2, step);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Lifecycle l = Lifecycle.valueOf(rs.getString(1));
                    counts.merge(l, 1, Integer::sum);
                    if (firstProblem == null && (l == Lifecycle.Failed || l == Lifecycle.TimedOut)) {
                        firstProblem = rs.getString(2) + (rs.getString(3) == null ? "" : "/" + rs.getString(3)) + ": "
                                + rs.getString(4);
                    }
                }
            }
        }
        if (counts.keySet().stream().anyMatch(l -> !l.isFinal())) {
            return Step.DONE;
        }
        Lifecycle rolled = Lifecycle.rollUp(counts.keySet());
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        String summary = total == 0 ? "no target databases" : total + " target" + (total == 1 ? "" : "s") + ": "
                + counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", ")) + (firstProblem == null ? "" : "; first problem: " + firstProblem);
        exec(c, "update jobs.step_execution set lifecycle = ?, end_time = now(), last_message = ? "
                + "where job_execution_id = ? and step_id = ?", rolled.name(), summary, id, step);
        String stepName = stepName(c, h, step);
        if (h.stopRequested()) {
            endJob(c, id, h, Lifecycle.Canceled, "Canceled by jobs.sp_stop_job in step " + step + " (" + stepName
                    + "): " + summary);
            return Step.DONE;
        }
        if (!rolled.isSuccess()) {
            endJob(c, id, h, rolled, "Step " + step + " (" + stepName + ") " + rolled + ": " + summary);
            return Step.DONE;
        }
        if (stepCount(c, h) > step) {
            return startStep(c, id, h, step + 1);
        }
        Lifecycle job = anySkipped(c, id) ? Lifecycle.SucceededWithSkipped : Lifecycle.Succeeded;
        endJob(c, id, h, job, job + ": " + step + " step" + (step == 1 ? "" : "s") + "; last: " + summary);
        return Step.DONE;
    }

    private Step startStep(Connection c, UUID id, Head h, int step) throws SQLException {
        String groupName = null;
        String stepName = null;
        try (PreparedStatement ps = c.prepareStatement("select s.step_name, g.target_group_name from jobs.jobstep s "
                + "left join jobs.target_group g on g.target_group_id = s.target_group_id "
                + "where s.job_id = ? and s.job_version = ? and s.step_id = ?")) {
            ps.setObject(1, h.jobId());
            ps.setInt(2, h.version());
            ps.setInt(3, step);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    stepName = rs.getString(1);
                    groupName = rs.getString(2);
                }
            }
        }
        if (stepName == null) {
            endJob(c, id, h, Lifecycle.Failed, "Cannot run step " + step + ": version " + h.version() + " of job "
                    + h.jobName() + " has no such step");
            return Step.DONE;
        }
        exec(c, "insert into jobs.step_execution (job_execution_id, step_id, lifecycle, target_group_name, start_time) "
                + "values (?, ?, 'InProgress', ?, now())", id, step, groupName == null ? "(deleted)" : groupName);
        exec(c, "update jobs.execution set current_step_id = ?, lifecycle = 'InProgress' where job_execution_id = ?",
                step, id);
        if (groupName == null) {
            exec(c, "update jobs.step_execution set lifecycle = 'Failed', end_time = now(), last_message = ? "
                    + "where job_execution_id = ? and step_id = ?", "Cannot resolve targets: the step's target group "
                    + "was deleted", id, step);
            endJob(c, id, h, Lifecycle.Failed, "Step " + step + " (" + stepName + ") Failed: its target group was deleted");
            return Step.DONE;
        }
        TargetResolver.Resolution r = resolver.resolve(c, groupName);
        try (PreparedStatement ps = c.prepareStatement("insert into jobs.target_execution (job_execution_id, step_id, "
                + "job_id, target_type, target_server_name, target_database_name, target_elastic_pool_name, lifecycle, "
                + "end_time, last_message) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Target t : r.targets()) {
                ElasticJobs.bind(ps, id, step, h.jobId(), "PostgresDatabase", t.server(), t.database(),
                        t.elasticPool().orElse(null), "Created", null, null);
                ps.addBatch();
            }
            for (TargetResolver.ServerFailure f : r.failures()) {
                ElasticJobs.bind(ps, id, step, h.jobId(), "PostgresServer", f.server(), null, null, "Failed",
                        java.sql.Timestamp.from(java.time.Instant.now()), f.message());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        log.accept("execution " + id + " of job " + h.jobName() + ": step " + step + " (" + stepName + ") on "
                + r.targets().size() + " target" + (r.targets().size() == 1 ? "" : "s") + " of group " + groupName
                + (r.failures().isEmpty() ? "" : "; " + r.failures().size() + " server(s) could not be listed"));
        if (r.targets().isEmpty()) {
            return Step.AGAIN; // nothing to wait for: roll the step up at once
        }
        exec(c, "update jobs.step_execution set lifecycle = 'WaitingForChildJobExecutions' where job_execution_id = ? "
                + "and step_id = ?", id, step);
        exec(c, "update jobs.execution set lifecycle = 'WaitingForChildJobExecutions' where job_execution_id = ?", id);
        exec(c, "select pg_notify('wwi_jobs', ?)", "tasks:" + id);
        return Step.TARGETS_CREATED;
    }

    private void endJob(Connection c, UUID id, Head h, Lifecycle l, String message) throws SQLException {
        exec(c, "update jobs.execution set lifecycle = ?, end_time = now(), last_message = ?, "
                + "start_time = coalesce(start_time, now()) where job_execution_id = ?", l.name(), message, id);
        exec(c, "select pg_notify('wwi_jobs', ?)", "ended:" + id);
        log.accept("execution " + id + " of job " + h.jobName() + " ended " + l + ": " + message);
    }

    private static String stepName(Connection c, Head h, int step) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select step_name from jobs.jobstep where job_id = ? "
                + "and job_version = ? and step_id = ?")) {
            ElasticJobs.bind(ps, h.jobId(), h.version(), step);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "?";
            }
        }
    }

    private static int stepCount(Connection c, Head h) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from jobs.jobstep where job_id = ? "
                + "and job_version = ?")) {
            ElasticJobs.bind(ps, h.jobId(), h.version());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static boolean anySkipped(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select exists (select 1 from jobs.step_execution where "
                + "job_execution_id = ? and lifecycle = 'SucceededWithSkipped')")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    static void exec(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ElasticJobs.bind(ps, args);
            ps.execute();
        }
    }

    /** The ids of executions that need advancing now: new ones, and those whose current step has no open target. */
    static List<UUID> needingAttention(Connection c, int limit) throws SQLException {
        List<UUID> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select e.job_execution_id from jobs.execution e "
                + "where e.lifecycle in ('Created', 'InProgress', 'WaitingForChildJobExecutions') and (e.lifecycle = "
                + "'Created' or not exists (select 1 from jobs.target_execution t where t.job_execution_id = "
                + "e.job_execution_id and t.step_id = e.current_step_id and t.lifecycle in ('Created', 'InProgress', "
                + "'WaitingForRetry'))) order by e.create_time limit ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return out;
    }
}
