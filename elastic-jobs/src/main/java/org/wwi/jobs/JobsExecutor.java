package org.wwi.jobs;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.wwi.control.SecretStore;
import org.wwi.platform.Database;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The elastic-jobs executor of one agent. A coordinator thread, woken by {@code NOTIFY wwi_jobs}
 * or by polling, advances executions ({@link Advancer}), claims runnable targets under a
 * cluster-wide advisory lock (respecting each step's and each pool's {@code max_parallelism},
 * this agent's concurrency and the rule that a step never runs twice at once on a target: the
 * later one is Skipped), and hands them to worker threads, one connection per attempt
 * ({@link Attempt}). Claimed targets carry a lease that the coordinator renews; when an agent
 * dies, any agent finds the expired leases and runs those targets again (at-least-once).
 */
public final class JobsExecutor implements AutoCloseable {
    static final String CHANNEL = "wwi_jobs";
    private static final long CLAIM_LOCK = 0x77776a6f62730001L;
    private static final Object WAKE = new Object();
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Database control;
    private final Path home;
    private final ExecutorSettings settings;
    private final Consumer<String> log;
    private final String agentId;
    private final TargetConnector connector;
    private final OutputWriter output;
    private final Advancer advancer;
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final Map<Long, RunningAttempt> running = new ConcurrentHashMap<>();
    private final Set<UUID> advancing = ConcurrentHashMap.newKeySet();
    private final List<Outcome> pendingOutcomes = new ArrayList<>();
    private final ExecutorService workers;
    private final ExecutorService advancers;
    private final ScheduledExecutorService watchdog;
    private final Thread coordinator;
    private final Thread listener;
    private volatile boolean stopping;
    private volatile Runnable onJobChange = () -> { };
    private Connection conn;

    private JobsExecutor(Database control, SecretStore secrets, Path home, ExecutorSettings settings,
                         Consumer<String> log) {
        this.control = control;
        this.home = home;
        this.settings = settings;
        this.log = log;
        this.agentId = newAgentId();
        this.connector = new TargetConnector(control, secrets);
        this.output = new OutputWriter(connector);
        this.advancer = new Advancer(control, secrets, log);
        this.workers = Executors.newFixedThreadPool(settings.maxConcurrency(), threads("wwi-jobs-worker"));
        this.advancers = Executors.newFixedThreadPool(2, threads("wwi-jobs-advance"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(threads("wwi-jobs-watchdog"));
        this.coordinator = threads("wwi-jobs-coordinator").newThread(this::coordinate);
        this.listener = threads("wwi-jobs-listener").newThread(this::listen);
    }

    /**
     * Starts an executor over the control database (which must be migrated).
     *
     * @param home the project folder: FlywayMigrations steps name folders relative to it
     * @param log  receives one line per event (execution started or ended, target outcome); never a secret
     */
    public static JobsExecutor start(Database control, SecretStore secrets, Path home, ExecutorSettings settings,
                                     Consumer<String> log) {
        requireNonNull(control, "control is null");
        requireNonNull(secrets, "secrets is null");
        requireNonNull(home, "home is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(log, "log is null");
        JobsExecutor e = new JobsExecutor(control, secrets, home, settings, log);
        e.register();
        e.listener.start();
        e.coordinator.start();
        log.accept("elastic-jobs agent " + e.agentId + " started (up to " + settings.maxConcurrency()
                + " targets at once, leases of " + settings.leaseDuration().toSeconds() + " s)");
        return e;
    }

    public String agentId() {
        return agentId;
    }

    /** Called (on the coordinator thread) when a job definition changes: the schedule sync hooks in here. */
    void onJobChange(Runnable r) {
        onJobChange = requireNonNull(r, "r is null");
    }

    /** Targets running on this agent now. */
    public int runningTargets() {
        return running.size();
    }

    private static String newAgentId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static ThreadFactory threads(String prefix) {
        return r -> {
            Thread t = new Thread(r, prefix + "-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private void register() {
        try (Connection c = control.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("insert into jobs.agent (agent_id, host, pid, max_concurrency) "
                     + "values (?, ?, ?, ?) on conflict (agent_id) do update set heartbeat_at = now(), stopped_at = null")) {
            ElasticJobs.bind(ps, agentId, agentId.substring(0, agentId.indexOf(':')),
                    ManagementFactory.getRuntimeMXBean().getPid(), settings.maxConcurrency());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw ElasticJobsException.of("register the elastic-jobs agent", e);
        }
    }

    // ------------------------------------------------------------------ threads

    private void listen() {
        while (!stopping) {
            try (Connection c = control.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("listen " + CHANNEL);
                PGConnection pg = c.unwrap(PGConnection.class);
                events.add(WAKE);
                while (!stopping) {
                    PGNotification[] ns = pg.getNotifications(500);
                    if (ns != null) {
                        for (PGNotification n : ns) {
                            events.add(n.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                if (!stopping) {
                    sleep(1000); // polling covers the gap
                }
            }
        }
    }

    private void coordinate() {
        long wait = 0;
        long lastRenew = 0;
        long lastRecover = 0;
        long drainDeadline = Long.MAX_VALUE;
        boolean failing = false;
        while (true) {
            List<Object> batch = new ArrayList<>();
            try {
                Object first = events.poll(Math.max(0, wait), TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    events.drainTo(batch);
                }
            } catch (InterruptedException e) {
                stopping = true;
            }
            boolean jobChanged = false;
            for (Object o : batch) {
                if (o instanceof Outcome oc) {
                    pendingOutcomes.add(oc);
                } else if (o instanceof String payload && payload.startsWith("job:")) {
                    jobChanged = true;
                }
            }
            if (stopping && drainDeadline == Long.MAX_VALUE) {
                drainDeadline = System.nanoTime() + settings.shutdownGrace().toNanos();
            }
            try {
                Connection c = connection();
                applyOutcomes(c);
                long now = System.nanoTime();
                if (!running.isEmpty()) {
                    handleStops(c);
                }
                if (now - lastRenew >= settings.leaseDuration().toNanos() / 3) {
                    renew(c);
                    lastRenew = now;
                }
                if (now - lastRecover >= Math.min(1_000_000_000L, settings.leaseDuration().toNanos() / 2)) {
                    recover(c);
                    lastRecover = now;
                }
                if (!stopping) {
                    advance(c);
                    if (!claim(c).isEmpty()) {
                        events.add(WAKE); // skipped or failed at claim: the scan advances them next round
                    }
                }
                if (jobChanged) {
                    runQuietly(onJobChange, "synchronize job schedules");
                }
                if (failing) {
                    log.accept("control database reachable again");
                }
                failing = false;
                // with attempts in flight their outcomes wake the coordinator; a due retry waits one poll at most
                wait = stopping ? 50 : running.isEmpty() ? nextWait(c) : settings.pollInterval().toMillis();
            } catch (SQLException | RuntimeException e) {
                if (!failing) {
                    log.accept("cannot use the control database: " + Sql.firstLine(e) + "; retrying every second");
                }
                failing = true;
                closeConnection();
                wait = 1000;
            }
            if (stopping) {
                if (running.isEmpty() && pendingOutcomes.isEmpty() && advancing.isEmpty()) {
                    break;
                }
                if (System.nanoTime() > drainDeadline) {
                    handBack();
                    break;
                }
            }
        }
        unregister();
        closeConnection();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runQuietly(Runnable r, String what) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.accept("cannot " + what + ": " + e.getMessage());
        }
    }

    private Connection connection() throws SQLException {
        if (conn == null || conn.isClosed()) {
            conn = control.dataSource().getConnection();
            conn.setAutoCommit(true);
            relaxCommits(conn);
        }
        return conn;
    }

    /**
     * The executor's bookkeeping commits do not wait for the WAL flush: were the control server to
     * crash, the last few state changes could be lost, and the targets concerned would be claimed
     * or resumed again, which at-least-once allows. Agent crashes lose nothing.
     */
    static void relaxCommits(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("set synchronous_commit = off");
        }
    }

    private void closeConnection() {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException e) {
                // broken already
            }
            conn = null;
        }
    }

    // ------------------------------------------------------------------ coordinator steps

    private Set<UUID> applyOutcomes(Connection c) throws SQLException {
        Set<UUID> ended = new HashSet<>();
        if (pendingOutcomes.isEmpty()) {
            return ended;
        }
        int[] counts;
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("update jobs.target_execution set lifecycle = ?, "
                + "last_message = ?, next_attempt_start_time = ?, end_time = case when ? then now() end, "
                + "lease_owner = null, lease_expires_at = null where task_id = ? and lease_owner = ? "
                + "and lifecycle = 'InProgress'")) {
            for (Outcome o : pendingOutcomes) {
                ElasticJobs.bind(ps, o.lifecycle().name(), o.message(),
                        o.nextAttempt().map(java.sql.Timestamp::from).orElse(null), o.lifecycle().isFinal(), o.taskId(),
                        agentId);
                ps.addBatch();
            }
            counts = ps.executeBatch();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            Sql.rollbackQuietly(c, e);
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        for (int i = 0; i < pendingOutcomes.size(); i++) {
            Outcome o = pendingOutcomes.get(i);
            // only now is its slot free: a target claimed next starts after this one's recorded end
            running.remove(o.taskId());
            if (counts[i] == 0) {
                log.accept("target " + o.target() + " of execution " + o.executionId() + ": result discarded ("
                        + o.lifecycle() + "), the target was handed to another agent or its execution deleted");
                continue;
            }
            log.accept("target " + o.target() + " of execution " + o.executionId() + ": " + o.lifecycle() + ": "
                    + o.message());
            if (o.lifecycle().isFinal()) {
                ended.add(o.executionId());
            }
        }
        pendingOutcomes.clear();
        return ended;
    }

    private void handleStops(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select t.task_id from jobs.target_execution t join "
                + "jobs.execution e on e.job_execution_id = t.job_execution_id where e.stop_requested "
                + "and t.lifecycle = 'InProgress' and t.lease_owner = ?")) {
            ps.setString(1, agentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    RunningAttempt ra = running.get(rs.getLong(1));
                    if (ra != null && ra.reason() == RunningAttempt.Reason.NONE) {
                        ra.cancel(RunningAttempt.Reason.STOPPED);
                    }
                }
            }
        }
    }

    private void renew(Connection c) throws SQLException {
        Set<Long> renewed = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("update jobs.target_execution set lease_expires_at = now() + "
                + "make_interval(secs => ?) where lease_owner = ? and lifecycle = 'InProgress' returning task_id")) {
            ElasticJobs.bind(ps, (double) settings.leaseDuration().toMillis() / 1000, agentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    renewed.add(rs.getLong(1));
                }
            }
        }
        for (RunningAttempt ra : running.values()) {
            if (!renewed.contains(ra.task.taskId()) && ra.reason() == RunningAttempt.Reason.NONE) {
                log.accept("target " + ra.task.target() + " of execution " + ra.task.executionId()
                        + ": this agent lost its lease (taken over, or the execution was deleted); canceling");
                ra.cancel(RunningAttempt.Reason.RELEASED);
            }
        }
        Advancer.exec(c, "update jobs.agent set heartbeat_at = now() where agent_id = ?", agentId);
    }

    private Set<UUID> recover(Connection c) throws SQLException {
        Set<UUID> touched = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("update jobs.target_execution t set "
                + "lifecycle = case when e.stop_requested then 'Canceled' else 'WaitingForRetry' end, "
                + "end_time = case when e.stop_requested then now() end, "
                + "next_attempt_start_time = case when e.stop_requested then null else now() end, "
                + "interrupted_attempts = t.interrupted_attempts + 1, lease_owner = null, lease_expires_at = null, "
                + "last_message = format('Attempt %s was interrupted: agent %s stopped renewing its lease (it crashed "
                + "or lost the control database); %s', t.current_attempts, t.lease_owner, case when e.stop_requested "
                + "then 'canceled by jobs.sp_stop_job' else 'resuming' end) "
                + "from jobs.execution e where e.job_execution_id = t.job_execution_id and t.lifecycle = 'InProgress' "
                + "and t.lease_expires_at < now() returning t.task_id, t.job_execution_id, t.target_server_name, "
                + "t.target_database_name")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    touched.add(rs.getObject(2, UUID.class));
                    log.accept("target " + rs.getString(3) + "/" + rs.getString(4) + " of execution "
                            + rs.getObject(2, UUID.class) + ": lease expired, resuming it");
                }
            }
        }
        return touched;
    }

    /** Hands the executions that need advancing (new ones, and those whose step has no open target) to the advancers. */
    private void advance(Connection c) throws SQLException {
        for (UUID id : Advancer.needingAttention(c, 100)) {
            if (!advancing.add(id)) {
                continue;
            }
            advancers.execute(() -> {
                try {
                    if (advancer.advance(id)) {
                        events.add(WAKE);
                    }
                } catch (SQLException | RuntimeException e) {
                    log.accept("cannot advance execution " + id + ": " + Sql.firstLine(e));
                } finally {
                    advancing.remove(id);
                }
            });
        }
    }

    private record Candidate(long taskId, UUID executionId, int stepId, UUID jobId, String server, String database,
                             String pool, boolean created, Instant startTime, String jobName, String stepName,
                             Task.Step step, Integer stepMax, Integer poolMax, TargetConnector.ServerRef serverRef) {
        String key() {
            return jobId + "\u0000" + stepId + "\u0000" + server + "\u0000" + database;
        }
    }

    private Set<UUID> claim(Connection c) throws SQLException {
        Set<UUID> touched = new HashSet<>();
        int free = settings.maxConcurrency() - running.size();
        if (free <= 0) {
            return touched;
        }
        List<Task> accepted = new ArrayList<>();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
                ps.setLong(1, CLAIM_LOCK);
                ps.executeQuery().close();
            }
            List<Candidate> candidates = candidates(c, free);
            if (candidates.isEmpty()) {
                c.commit();
                return touched;
            }
            Map<String, Integer> perStep = new HashMap<>();
            Map<String, Integer> perPool = new HashMap<>();
            Map<String, UUID> inFlight = new HashMap<>();
            Map<String, UUID> firstWaiting = new HashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select t.job_execution_id, "
                    + "t.step_id, t.target_server_name, t.target_elastic_pool_name, t.lifecycle, t.job_id, "
                    + "t.target_database_name from jobs.target_execution t join jobs.execution e "
                    + "on e.job_execution_id = t.job_execution_id "
                    + "where t.lifecycle in ('Created', 'InProgress', 'WaitingForRetry') order by e.create_time, t.task_id")) {
                while (rs.next()) {
                    String key = rs.getString(6) + "\u0000" + rs.getInt(2) + "\u0000" + rs.getString(3) + "\u0000"
                            + rs.getString(7);
                    if (rs.getString(5).equals("Created")) {
                        firstWaiting.putIfAbsent(key, rs.getObject(1, UUID.class));
                        continue;
                    }
                    if (rs.getString(5).equals("InProgress")) {
                        perStep.merge(rs.getString(1) + "/" + rs.getInt(2), 1, Integer::sum);
                        if (rs.getString(4) != null) {
                            perPool.merge(rs.getString(3) + "/" + rs.getString(4), 1, Integer::sum);
                        }
                    }
                    inFlight.put(key, rs.getObject(1, UUID.class));
                }
            }
            List<Candidate> take = new ArrayList<>();
            Map<Long, String> skip = new HashMap<>();
            Map<Long, String> fail = new HashMap<>();
            for (Candidate k : candidates) {
                if (take.size() >= free) {
                    break;
                }
                String stepKey = k.executionId() + "/" + k.stepId();
                String poolKey = k.server() + "/" + k.pool();
                if (k.stepMax() != null && perStep.getOrDefault(stepKey, 0) >= k.stepMax()) {
                    continue;
                }
                if (k.pool() != null && k.poolMax() != null && perPool.getOrDefault(poolKey, 0) >= k.poolMax()) {
                    continue;
                }
                UUID other = inFlight.get(k.key());
                if (k.created() && other != null && !other.equals(k.executionId())) {
                    skip.put(k.taskId(), "Skipped: step " + k.stepId() + " of job " + k.jobName() + " was already "
                            + "running on " + k.server() + "/" + k.database() + " in execution " + other);
                    touched.add(k.executionId());
                    continue;
                }
                UUID earlier = firstWaiting.get(k.key());
                if (k.created() && other == null && earlier != null && !earlier.equals(k.executionId())) {
                    continue; // an earlier execution waits (at its max_parallelism) for this target: it goes first
                }
                if (k.serverRef() == null) {
                    fail.put(k.taskId(), "Cannot run on " + k.server() + "/" + k.database() + ": server " + k.server()
                            + " is no longer registered");
                    touched.add(k.executionId());
                    continue;
                }
                perStep.merge(stepKey, 1, Integer::sum);
                if (k.pool() != null) {
                    perPool.merge(poolKey, 1, Integer::sum);
                }
                inFlight.put(k.key(), k.executionId());
                take.add(k);
            }
            if (!take.isEmpty()) {
                Map<Long, Candidate> byId = new HashMap<>();
                take.forEach(k -> byId.put(k.taskId(), k));
                try (PreparedStatement ps = c.prepareStatement("update jobs.target_execution set lifecycle = "
                        + "'InProgress', lease_owner = ?, lease_expires_at = now() + make_interval(secs => ?), "
                        + "current_attempts = current_attempts + 1, start_time = coalesce(start_time, clock_timestamp()), "
                        + "current_attempt_start_time = clock_timestamp(), next_attempt_start_time = null "
                        + "where task_id = any(?) and lifecycle in ('Created', 'WaitingForRetry') "
                        + "returning task_id, start_time, current_attempts, interrupted_attempts")) {
                    Array ids = c.createArrayOf("bigint", byId.keySet().toArray());
                    ElasticJobs.bind(ps, agentId, (double) settings.leaseDuration().toMillis() / 1000, ids);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Candidate k = byId.get(rs.getLong(1));
                            accepted.add(new Task(k.taskId(), k.executionId(), k.stepId(), k.jobName(), k.stepName(),
                                    k.serverRef(), k.database(), ElasticJobs.instant(rs, 2).orElseThrow(), rs.getInt(3),
                                    rs.getInt(4), k.step()));
                        }
                    }
                }
            }
            finish(c, skip, "Skipped");
            finish(c, fail, "Failed");
            c.commit();
        } catch (SQLException | RuntimeException e) {
            Sql.rollbackQuietly(c, e);
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        for (Task t : accepted) {
            submit(t);
        }
        return touched;
    }

    private static void finish(Connection c, Map<Long, String> rows, String lifecycle) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("update jobs.target_execution set lifecycle = ?, "
                + "end_time = now(), last_message = ? where task_id = ? and lifecycle in ('Created', 'WaitingForRetry')")) {
            for (Map.Entry<Long, String> e : rows.entrySet()) {
                ElasticJobs.bind(ps, lifecycle, e.getValue(), e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private List<Candidate> candidates(Connection c, int free) throws SQLException {
        List<Candidate> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("with busy as (select job_execution_id, step_id, count(*) as n "
                + "from jobs.target_execution where lifecycle = 'InProgress' group by 1, 2) "
                + "select t.task_id, t.job_execution_id, "
                + "t.step_id, t.job_id, t.target_server_name, t.target_database_name, t.target_elastic_pool_name, "
                + "t.lifecycle, t.start_time, j.job_name, st.step_name, st.command_type, st.command, st.credential_name, "
                + "st.credential_parameters, st.retry_attempts, st.initial_retry_interval_seconds, "
                + "st.maximum_retry_interval_seconds, st.retry_interval_backoff_multiplier, st.step_timeout_seconds, "
                + "st.max_parallelism, p.max_parallelism, sv.host, sv.port, sv.maintenance_database, st.output_type, "
                + "st.output_server_name, o.host, o.port, o.maintenance_database, st.output_database_name, "
                + "st.output_schema_name, st.output_table_name, st.output_credential_name "
                + "from jobs.target_execution t "
                + "join jobs.execution e on e.job_execution_id = t.job_execution_id "
                + "join jobs.job j on j.job_id = e.job_id "
                + "join jobs.jobstep st on st.job_id = e.job_id and st.job_version = e.job_version and st.step_id = t.step_id "
                + "left join jobs.server sv on sv.server_name = t.target_server_name "
                + "left join jobs.elastic_pool p on p.server_name = t.target_server_name "
                + "and p.elastic_pool_name = t.target_elastic_pool_name "
                + "left join jobs.server o on o.server_name = st.output_server_name "
                + "left join busy b on b.job_execution_id = t.job_execution_id and b.step_id = t.step_id "
                + "where t.lifecycle in ('Created', 'WaitingForRetry') and (t.lifecycle = 'Created' "
                + "or t.next_attempt_start_time <= now()) and not e.stop_requested "
                + "and (st.max_parallelism is null or coalesce(b.n, 0) < st.max_parallelism) "
                + "order by e.create_time, t.task_id limit ?")) {
            // steps at their max_parallelism are left out here; pools and the exact counts are checked by the caller
            s.setInt(1, Math.min(1000, free * 4 + 50));
            ResultSet rs = s.executeQuery();
            while (rs.next()) {
                Optional<Task.Output> out1 = rs.getString(26) == null || rs.getString(28) == null ? Optional.empty()
                        : Optional.of(new Task.Output(new TargetConnector.ServerRef(rs.getString(27), rs.getString(28),
                        rs.getInt(29), rs.getString(30)), rs.getString(31), rs.getString(32), rs.getString(33),
                        Optional.ofNullable(rs.getString(34))));
                Task.Step step = new Task.Step(rs.getString(12), rs.getString(13), Optional.ofNullable(rs.getString(14)),
                        List.of((String[]) rs.getArray(15).getArray()), new Backoff(rs.getInt(16), rs.getInt(17),
                        rs.getInt(18), rs.getFloat(19)), rs.getInt(20), out1);
                int stepMax = rs.getInt(21);
                Integer sm = rs.wasNull() ? null : stepMax;
                int poolMax = rs.getInt(22);
                Integer pm = rs.wasNull() ? null : poolMax;
                TargetConnector.ServerRef ref = rs.getString(23) == null ? null
                        : new TargetConnector.ServerRef(rs.getString(5), rs.getString(23), rs.getInt(24), rs.getString(25));
                out.add(new Candidate(rs.getLong(1), rs.getObject(2, UUID.class), rs.getInt(3),
                        rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6), rs.getString(7),
                        rs.getString(8).equals("Created"), ElasticJobs.instant(rs, 9).orElse(null), rs.getString(10),
                        rs.getString(11), step, sm, pm, ref));
            }
        }
        return out;
    }

    private void submit(Task t) {
        RunningAttempt ra = new RunningAttempt(t);
        running.put(t.taskId(), ra);
        long untilCancel = Math.max(0, Duration.between(Instant.now(), t.deadline()).toMillis())
                + Attempt.CANCEL_GRACE_MILLIS;
        ScheduledFuture<?> wd = watchdog.schedule(() -> ra.cancel(RunningAttempt.Reason.TIMED_OUT), untilCancel,
                TimeUnit.MILLISECONDS);
        workers.execute(() -> {
            Outcome o;
            try {
                o = new Attempt(ra, connector, output, home).run();
            } catch (RuntimeException | Error e) {
                o = new Outcome(t.taskId(), t.executionId(), t.target(), Lifecycle.Failed, "Attempt " + t.attempt()
                        + " failed: internal error " + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + " (please report it)", Optional.empty());
            } finally {
                wd.cancel(false);
            }
            events.add(o); // the coordinator removes it from running once the outcome is recorded
        });
    }

    private long nextWait(Connection c) throws SQLException {
        long poll = settings.pollInterval().toMillis();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select ceil(extract(epoch from "
                + "min(next_attempt_start_time) - clock_timestamp()) * 1000) from jobs.target_execution "
                + "where lifecycle = 'WaitingForRetry'")) {
            rs.next();
            long due = rs.getLong(1);
            return rs.wasNull() ? poll : Math.max(0, Math.min(poll, due));
        }
    }

    /** On a stop whose grace ran out: cancels the attempts in flight and hands their targets back for resumption. */
    private void handBack() {
        if (running.isEmpty()) {
            return;
        }
        running.values().forEach(ra -> ra.cancel(RunningAttempt.Reason.RELEASED));
        try {
            Connection c = connection();
            try (PreparedStatement ps = c.prepareStatement("update jobs.target_execution set lifecycle = "
                    + "'WaitingForRetry', next_attempt_start_time = now(), interrupted_attempts = interrupted_attempts + 1, "
                    + "lease_owner = null, lease_expires_at = null, last_message = format('Attempt %s was interrupted: "
                    + "agent %s stopped; resuming', current_attempts, lease_owner) where lease_owner = ? "
                    + "and lifecycle = 'InProgress'")) {
                ps.setString(1, agentId);
                int n = ps.executeUpdate();
                log.accept("handed " + n + " target(s) in flight back for another agent to resume");
            }
            Advancer.exec(c, "select pg_notify(?, 'tasks:')", CHANNEL);
        } catch (SQLException e) {
            log.accept("cannot hand targets back: " + Sql.firstLine(e) + " (their leases expire in "
                    + settings.leaseDuration().toSeconds() + " s, then another agent resumes them)");
        }
    }

    private void unregister() {
        try {
            Advancer.exec(connection(), "update jobs.agent set stopped_at = now() where agent_id = ?", agentId);
        } catch (SQLException e) {
            // the heartbeat simply stops
        }
    }

    /**
     * Stops claiming, lets attempts in flight finish for up to the shutdown grace, hands the
     * others back, and stops every thread.
     */
    @Override
    public void close() {
        if (stopping && !coordinator.isAlive()) {
            return;
        }
        stopping = true;
        events.add(WAKE);
        try {
            coordinator.join(settings.shutdownGrace().toMillis() + 10_000);
            listener.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        advancers.shutdownNow();
        watchdog.shutdownNow();
        try {
            advancers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        advancer.close();
        connector.clear();
        log.accept("elastic-jobs agent " + agentId + " stopped");
    }
}
