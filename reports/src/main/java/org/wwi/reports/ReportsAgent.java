package org.wwi.reports;

import org.quartz.Scheduler;
import org.wwi.platform.AgentService;
import org.wwi.platform.Database;
import org.wwi.platform.WwiException;
import org.wwi.semantic.Principal;
import org.wwi.semantic.SemanticLayer;
import org.wwi.semantic.SemanticModel;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The reports service of {@code wwi agent}: renders a dashboard that declares
 * {@code refresh: {after: PIPELINE}} once after each successful run of that pipeline, into the
 * output folder (default {@code .wwi/reports}). A render that fails is recorded in
 * {@code mart.report_render} and leaves the last good page in place; it is tried again on the next
 * check. Several agents may run: a session advisory lock per dashboard lets one render it.
 */
public final class ReportsAgent implements AgentService {
    private final Path home;
    private final Path out;
    private final Duration interval;
    private final Consumer<String> log;
    private volatile boolean stopping;
    private Thread thread;

    public ReportsAgent(Path home, Path out, Duration interval, Consumer<String> log) {
        this.home = requireNonNull(home, "home is null");
        this.out = requireNonNull(out, "out is null");
        this.interval = requireNonNull(interval, "interval is null");
        this.log = requireNonNull(log, "log is null");
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
                        + interval.toSeconds() + " s)");
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Renders every dashboard whose pipeline succeeded since its last good render; returns how many it rendered. */
    public int checkOnce(Database db) throws SQLException {
        List<Dashboard> all = Reports.forProject(home);
        int rendered = 0;
        try (Connection c = db.dataSource().getConnection()) {
            SemanticLayer layer = null;
            try {
                for (Dashboard d : all) {
                    if (d.refreshAfter().isEmpty() || stopping) {
                        continue;
                    }
                    Optional<Long> run = latestSuccess(c, d.refreshAfter().get());
                    if (run.isEmpty() || run.get() <= lastGood(c, d.name()) || !tryLock(c, d.name())) {
                        continue;
                    }
                    try {
                        if (run.get() <= lastGood(c, d.name())) {
                            continue;   // another agent rendered it meanwhile
                        }
                        if (layer == null) {
                            try {
                                layer = SemanticLayer.open(db, SemanticModel.forProject(home),
                                        SemanticLayer.Options.defaults().withLogSource("reports"));
                            } catch (WwiException e) {
                                record(c, d, run.get(), "failed", null, e.getMessage());
                                continue;
                            }
                        }
                        rendered += render(c, layer, all, d, run.get()) ? 1 : 0;
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

    private boolean render(Connection c, SemanticLayer layer, List<Dashboard> all, Dashboard d, long runId)
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
                log.accept("reports: rendered " + d.name() + " after run " + runId + " of " + d.refreshAfter().get()
                        + " -> " + file);
            } else {
                status = "failed";
                message = s.failures().get(d.name());
            }
        } catch (WwiException e) {
            status = "failed";
            message = e.getMessage();
        }
        record(c, d, runId, status, file, message);
        return status.equals("ok");
    }

    private void record(Connection c, Dashboard d, long runId, String status, String file, String message)
            throws SQLException {
        if (message != null) {
            log.accept("reports: refresh of " + d.name() + " after run " + runId + " failed, the last good copy "
                    + "stays: " + message);
        }
        try (PreparedStatement ps = c.prepareStatement("insert into mart.report_render (dashboard, after_pipeline, "
                + "source_run_id, status, file, message) values (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, d.name());
            ps.setString(2, d.refreshAfter().get());
            ps.setLong(3, runId);
            ps.setString(4, status);
            ps.setString(5, file);
            ps.setString(6, message);
            ps.executeUpdate();
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
