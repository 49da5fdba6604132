package org.wwi.reports;

import org.quartz.Scheduler;
import org.wwi.platform.AgentService;
import org.wwi.platform.Database;
import org.wwi.platform.WwiException;
import org.wwi.semantic.Principal;
import org.wwi.semantic.SemanticLayer;
import org.wwi.semantic.SemanticModel;

import org.quartz.CronExpression;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The reports service of {@code wwi agent}: renders a dashboard that declares
 * {@code refresh: {after: PIPELINE}} once after each successful run of that pipeline, and one that
 * declares {@code refresh: {cron: "0 0 6 * * ?"}} at each fire time of the Quartz cron expression
 * (in its {@code time_zone}; a fire time missed while no agent ran is made up once, not once per
 * missed time), into the output folder (default {@code .wwi/reports}). Every attempt is recorded in
 * {@code mart.report_render}; a render that fails leaves the last good page in place (pages are
 * written beside their target and moved over it) and is tried again after a back-off that doubles
 * with each failure in a row, from {@link Options#backoffBase()} up to {@link Options#backoffMax()}.
 * Several agents may run: a session advisory lock per dashboard lets one render it.
 */
public final class ReportsAgent implements AgentService {
    /**
     * How the agent works.
     *
     * @param interval    how often it checks for dashboards to refresh
     * @param backoffBase the wait after a first failed refresh; doubled for each further failure in a row
     * @param backoffMax  the longest wait between two attempts
     */
    public record Options(Duration interval, Duration backoffBase, Duration backoffMax) {
        public Options {
            requireNonNull(interval, "interval is null");
            requireNonNull(backoffBase, "backoffBase is null");
            requireNonNull(backoffMax, "backoffMax is null");
            if (interval.isNegative() || interval.isZero() || backoffBase.isNegative() || backoffBase.isZero()
                    || backoffMax.compareTo(backoffBase) < 0) {
                throw new ReportsException(ReportsErrorCode.INTERNAL, "Cannot use agent options " + interval + ", "
                        + backoffBase + ", " + backoffMax + " (the interval and the back-off must be positive, "
                        + "the longest back-off at least the first)");
            }
        }

        /** Checks every 15 s; waits 1 minute after a failure, doubling up to 1 hour. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(15), Duration.ofMinutes(1), Duration.ofHours(1));
        }

        public Options withInterval(Duration i) {
            return new Options(i, backoffBase, backoffMax);
        }

        public Options withBackoff(Duration base, Duration max) {
            return new Options(interval, base, max);
        }

        /** The wait after {@code failures} failed attempts in a row (at least one). */
        Duration backoff(int failures) {
            Duration d = backoffBase;
            for (int i = 1; i < failures && d.compareTo(backoffMax) < 0; i++) {
                d = d.multipliedBy(2);
            }
            return d.compareTo(backoffMax) > 0 ? backoffMax : d;
        }
    }

    private final Path home;
    private final Path out;
    private final Supplier<List<Dashboard>> dashboards;
    private final Options options;
    private final Clock clock;
    private final Consumer<String> log;
    private final Instant started;
    private volatile boolean stopping;
    private Thread thread;

    public ReportsAgent(Path home, Path out, Duration interval, Consumer<String> log) {
        this(home, out, () -> Reports.forProject(home), Options.defaults().withInterval(interval), Clock.systemUTC(),
                log);
    }

    ReportsAgent(Path home, Path out, Supplier<List<Dashboard>> dashboards, Options options, Clock clock,
                 Consumer<String> log) {
        this.home = requireNonNull(home, "home is null");
        this.out = requireNonNull(out, "out is null");
        this.dashboards = requireNonNull(dashboards, "dashboards is null");
        this.options = requireNonNull(options, "options is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.log = requireNonNull(log, "log is null");
        this.started = clock.instant();
    }

    @Override
    public String name() {
        return "reports";
    }

    @Override
    public void start(Scheduler scheduler, Database control) {
        thread = new Thread(() -> loop(control), "wwi-reports-agent");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(Database db) {
        while (!stopping) {
            try {
                checkOnce(db);
            } catch (WwiException | SQLException e) {
                log.accept("reports: cannot check for refreshes: " + e.getMessage() + " (trying again in "
                        + options.interval().toSeconds() + " s)");
            }
            try {
                Thread.sleep(options.interval().toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Why a dashboard is due: the pipeline run it follows, or none for a cron fire time. */
    private record Due(Optional<Long> runId, String why) {
    }

    /** Failed attempts since the last good render. */
    private record Failures(int count, Instant last) {
    }

    /** Renders every dashboard that is due and not backing off; returns how many it rendered. */
    public int checkOnce(Database db) throws SQLException {
        List<Dashboard> all = dashboards.get();
        int rendered = 0;
        Instant now = clock.instant();
        try (Connection c = db.dataSource().getConnection()) {
            SemanticLayer layer = null;
            try {
                for (Dashboard d : all) {
                    if (d.refresh().isEmpty() || stopping) {
                        continue;
                    }
                    Optional<Due> due = due(c, d, now);
                    if (due.isEmpty() || backingOff(c, d, now) || !tryLock(c, d.name())) {
                        continue;
                    }
                    try {
                        due = due(c, d, now);   // another agent may have rendered it meanwhile
                        if (due.isEmpty()) {
                            continue;
                        }
                        if (layer == null) {
                            try {
                                layer = SemanticLayer.open(db, SemanticModel.forProject(home),
                                        SemanticLayer.Options.defaults().withLogSource("reports"));
                            } catch (WwiException e) {
                                record(c, d, due.get(), now, "failed", null, e.getMessage());
                                continue;
                            }
                        }
                        rendered += render(c, layer, all, d, due.get(), now) ? 1 : 0;
                    } finally {
                        unlock(c, d.name());
                    }
                }
            } finally {
                if (layer != null) {
                    layer.close();
                }
            }
        }
        return rendered;
    }

    private Optional<Due> due(Connection c, Dashboard d, Instant now) throws SQLException {
        if (d.refresh().after().isPresent()) {
            Optional<Long> run = latestSuccess(c, d.refresh().after().get());
            if (run.isPresent() && run.get() > lastGood(c, d.name())) {
                return Optional.of(new Due(run, "run " + run.get() + " of " + d.refresh().after().get()));
            }
        }
        if (d.refresh().cron().isPresent()) {
            Instant base = lastGoodScheduled(c, d.name()).orElse(started);
            Instant next = nextFire(d, base);
            if (next != null && !next.isAfter(now)) {
                return Optional.of(new Due(Optional.empty(), "schedule " + d.refresh().cron().get() + " ("
                        + next + ")"));
            }
        }
        return Optional.empty();
    }

    /** The first fire time of the dashboard's cron expression after an instant, or null when there is none. */
    static Instant nextFire(Dashboard d, Instant after) {
        try {
            CronExpression cron = new CronExpression(d.refresh().cron().orElseThrow());
            cron.setTimeZone(d.refresh().zone());
            Date next = cron.getNextValidTimeAfter(Date.from(after));
            return next == null ? null : next.toInstant();
        } catch (ParseException e) {
            throw new ReportsException(ReportsErrorCode.DASHBOARD_INVALID, "Cannot read the refresh schedule of "
                    + d.file() + ": " + e.getMessage() + " (fix refresh.cron)", e);
        }
    }

    private boolean backingOff(Connection c, Dashboard d, Instant now) throws SQLException {
        Failures f = failures(c, d.name());
        return f.count() > 0 && now.isBefore(f.last().plus(options.backoff(f.count())));
    }

    private boolean render(Connection c, SemanticLayer layer, List<Dashboard> all, Dashboard d, Due due, Instant now)
            throws SQLException {
        String status;
        String file = null;
        String message = null;
        try {
            Reports.Summary s = Reports.open(layer, all).render(out, Principal.operator(), Selection.none(),
                    List.of(d.name()));
            if (s.ok()) {
                status = "ok";
                file = s.pages().get(0).file().toString();
                log.accept("reports: rendered " + d.name() + " after " + due.why() + " -> " + file);
            } else {
                status = "failed";
                message = s.failures().get(d.name());
            }
        } catch (WwiException e) {
            status = "failed";
            message = e.getMessage();
        }
        record(c, d, due, now, status, file, message);
        return status.equals("ok");
    }

    private void record(Connection c, Dashboard d, Due due, Instant now, String status, String file, String message)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into mart.report_render (dashboard, after_pipeline, "
                + "source_run_id, started_at, finished_at, status, file, message) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, d.name());
            ps.setString(2, due.runId().isPresent() ? d.refresh().after().orElseThrow() : null);
            if (due.runId().isPresent()) {
                ps.setLong(3, due.runId().get());
            } else {
                ps.setNull(3, java.sql.Types.BIGINT);
            }
            // the agent's clock, so that schedules and back-off are measured on one clock
            ps.setObject(4, now.atOffset(ZoneOffset.UTC));
            ps.setObject(5, now.atOffset(ZoneOffset.UTC));
            ps.setString(6, status);
            ps.setString(7, file);
            ps.setString(8, message);
            ps.executeUpdate();
        }
        if (message != null) {
            Failures f = failures(c, d.name());
            log.accept("reports: refresh of " + d.name() + " after " + due.why() + " failed (" + f.count()
                    + (f.count() == 1 ? " failure" : " failures in a row") + "), the last good copy stays; next try "
                    + "not before " + now.plus(options.backoff(f.count())) + ": " + message);
        }
    }

    private static Failures failures(Connection c, String dashboard) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*), max(finished_at) from mart.report_render "
                + "where dashboard = ? and status = 'failed' and render_id > coalesce((select max(render_id) "
                + "from mart.report_render where dashboard = ? and status = 'ok'), 0)")) {
            ps.setString(1, dashboard);
            ps.setString(2, dashboard);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                java.sql.Timestamp last = rs.getTimestamp(2);
                return new Failures(rs.getInt(1), last == null ? Instant.EPOCH : last.toInstant());
            }
        }
    }

    private static Optional<Instant> lastGoodScheduled(Connection c, String dashboard) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select max(started_at) from mart.report_render "
                + "where dashboard = ? and status = 'ok' and source_run_id is null")) {
            ps.setString(1, dashboard);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                java.sql.Timestamp t = rs.getTimestamp(1);
                return t == null ? Optional.empty() : Optional.of(t.toInstant());
            }
        }
    }

    private static Optional<Long> latestSuccess(Connection c, String pipeline) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select max(run_id) from elt.run where pipeline = ? "
                + "and status = 'succeeded'")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(v);
            }
        }
    }

    private static long lastGood(Connection c, String dashboard) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select coalesce(max(source_run_id), 0) from mart.report_render "
                + "where dashboard = ? and status = 'ok'")) {
            ps.setString(1, dashboard);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static boolean tryLock(Connection c, String dashboard) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(hashtext('wwi.report.' || ?))")) {
            ps.setString(1, dashboard);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection c, String dashboard) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_unlock(hashtext('wwi.report.' || ?))")) {
            ps.setString(1, dashboard);
            ps.executeQuery().close();
        }
    }

    @Override
    public void stop() {
        stopping = true;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
