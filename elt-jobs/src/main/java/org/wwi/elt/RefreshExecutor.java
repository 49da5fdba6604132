package org.wwi.elt;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * The {@code refresh} step. A SQL rollup is built as a new table from its SELECT, checked (an empty
 * result, or one smaller than the current table by more than {@code max_shrink_percent}, is refused
 * unless allowed: the current table stays), then swapped in by drop and rename in the same
 * transaction, so readers see the old table or the new one, never a missing or half-built one.
 * The semantic model's rollups go through {@link RollupRefresher}.
 */
final class RefreshExecutor {
    private RefreshExecutor() {
    }

    static StepOutcome run(Steps.Refresh step, StepContext ctx) {
        if (step.table().isEmpty()) {
            return BatchStep.run(step, step.when(), ctx, (tx, files) -> {
                List<RollupRefresher.Refreshed> done = ctx.rollups().refresh(ctx.work(), step.modelRollups(),
                        step.allowEmpty(), step.maxShrinkPercent());
                long rows = done.stream().mapToLong(RollupRefresher.Refreshed::rows).sum();
                tx.lineage(ctx.runId(), step.name(), "write", "table", done.stream()
                        .map(RollupRefresher.Refreshed::table).toList());
                return StepOutcome.done(files, null, rows, null, null);
            });
        }
        String table = step.table().get();
        boolean exists = exists(ctx.work(), table);
        return BatchStep.run(step, step.when(), ctx, (tx, files) -> {
            Connection c = ctx.work();
            int dot = table.indexOf('.');
            String schema = table.substring(0, dot);
            String name = table.substring(dot + 1);
            String building = name + "__elt_new";
            String buildingQuoted = TransformExecutor.quote(schema) + "." + TransformExecutor.quote(building);
            String sql = ctx.expand(step.sql().orElseThrow(), step.file().orElseThrow() + " of pipeline "
                    + ctx.pipeline().name());
            long rows;
            long previous = -1;
            try (Statement st = c.createStatement()) {
                st.execute("drop table if exists " + buildingQuoted);
                rows = st.executeUpdate("create table " + buildingQuoted + " as " + sql);
                if (exists) {
                    try (ResultSet rs = st.executeQuery("select count(*) from " + TransformExecutor.table(table))) {
                        rs.next();
                        previous = rs.getLong(1);
                    }
                }
            }
            if (rows == 0 && !step.allowEmpty()) {
                return refused(step, files, "Cannot refresh " + table + ": the new result is empty (the current "
                        + "table keeps its " + Math.max(previous, 0) + " rows; set allow_empty: true if an empty "
                        + "rollup is right)");
            }
            if (previous > 0 && rows < previous * (1 - step.maxShrinkPercent() / 100.0)) {
                return refused(step, files, String.format(Locale.ROOT, "Cannot refresh %s: the new result has %,d "
                        + "rows, %.1f%% fewer than the current %,d (max_shrink_percent %s; the current table stays; "
                        + "raise max_shrink_percent if the shrink is right)", table, rows,
                        (previous - rows) * 100.0 / previous, previous, step.maxShrinkPercent()));
            }
            try (Statement st = c.createStatement()) {
                st.execute("drop table if exists " + TransformExecutor.table(table));
                st.execute("alter table " + buildingQuoted + " rename to " + TransformExecutor.quote(name));
                for (List<String> index : step.indexes()) {
                    st.execute("create index " + TransformExecutor.quote(name + "_" + String.join("_", index) + "_idx")
                            + " on " + TransformExecutor.table(table) + " (" + String.join(", ", index.stream()
                            .map(TransformExecutor::quote).toList()) + ")");
                }
                try (PreparedStatement ps = c.prepareStatement("select format('comment on table %s is %L', ?::text, ?)")) {
                    ps.setString(1, TransformExecutor.table(table));
                    ps.setString(2, "Rollup built by ELT pipeline " + ctx.pipeline().name() + ", step " + step.name()
                            + " (" + step.file().get() + "), run " + ctx.runId());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        st.execute(rs.getString(1));
                    }
                }
                st.execute("analyze " + TransformExecutor.table(table));
            }
            tx.lineage(ctx.runId(), step.name(), "read", "table", readsOf(sql));
            tx.lineage(ctx.runId(), step.name(), "write", "table", List.of(table));
            return StepOutcome.done(files, null, rows, null, null);
        }, !exists);
    }

    private static StepOutcome refused(Steps.Refresh step, int files, String message) {
        return new StepOutcome("failed", files, java.util.OptionalLong.empty(), java.util.OptionalLong.empty(),
                java.util.OptionalLong.empty(), java.util.Optional.of(message));
    }

    private static List<String> readsOf(String sql) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b(?:from|join)\\s+([a-z_][a-z0-9_]*\\."
                + "[a-z_][a-z0-9_]*)\\b(?!\\s*\\()", java.util.regex.Pattern.CASE_INSENSITIVE).matcher(
                sql.replaceAll("--[^\n]*", " "));
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        while (m.find()) {
            out.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        return List.copyOf(out);
    }

    private static boolean exists(Connection c, String table) {
        try (PreparedStatement ps = c.prepareStatement("select to_regclass(?) is not null")) {
            ps.setString(1, TransformExecutor.table(table));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw EltException.of("look up table " + table, e);
        }
    }
}
