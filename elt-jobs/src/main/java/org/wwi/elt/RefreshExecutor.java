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
                long merged = done.stream().filter(RollupRefresher.Refreshed::incremental).count();
                List<String> full = done.stream().filter(d -> !d.incremental())
                        .map(d -> d.rollup() + " (" + d.how().substring("full: ".length()) + ")").toList();
                return StepOutcome.noted(files, null, rows, null, merged + " of " + done.size() + " rollups took in "
                        + "only the new facts" + (full.isEmpty() ? "" : "; built whole: " + String.join(", ", full)));
            });
        }
        String table = step.table().get();
        boolean exists = exists(ctx.work(), table);
        return BatchStep.run(step, step.when(), ctx, (tx, files) -> {
            Connection c = ctx.work();
            int dot = table.indexOf('.');
            String schema = table.substring(0, dot);
            String name = table.substring(dot + 1);
            String quoted = TransformExecutor.table(table);
            String building = TransformExecutor.quote(schema) + "." + TransformExecutor.quote(name + "__elt_new");
            String where = step.file().orElseThrow() + " of pipeline " + ctx.pipeline().name();
            String sql = ctx.expand(step.sql().orElseThrow(), where);
            String definition = "sql sha256 " + sha256(step.sql().get() + "|" + step.incremental()
                    .map(i -> i.column() + "|" + i.changed()).orElse(""));
            long previous = -1;
            boolean incremental = false;
            long changedKeys = 0;
            try (Statement st = c.createStatement()) {
                st.execute("drop table if exists " + building);
                if (exists) {
                    try (ResultSet rs = st.executeQuery("select count(*), coalesce(obj_description(to_regclass('"
                            + quoted.replace("'", "''") + "'), 'pg_class'), '') from " + quoted)) {
                        rs.next();
                        previous = rs.getLong(1);
                        incremental = step.incremental().isPresent() && rs.getString(2).contains(definition);
                    }
                }
                if (incremental) {
                    Steps.Incremental inc = step.incremental().get();
                    String column = TransformExecutor.quote(inc.column());
                    st.execute("create temporary table elt_changed_keys (k) on commit drop as "
                            + ctx.expand(inc.changed(), "incremental.changed of step " + step.name()));
                    String keys;
                    // the keys as literals: a constant list is pushed into the rollup's GROUP BY (and its indexes)
                    try (ResultSet rs = st.executeQuery("select count(distinct k), string_agg(distinct "
                            + "quote_nullable(k), ', ') from elt_changed_keys")) {
                        rs.next();
                        changedKeys = rs.getLong(1);
                        keys = rs.getString(2);
                    }
                    if (changedKeys == 0) {
                        st.execute("create table " + building + " as select * from " + quoted);
                    } else {
                        st.execute("create table " + building + " as select * from " + quoted + " t where t." + column
                                + " is null or t." + column + " not in (" + keys + ") union all select * from (" + sql
                                + ") r where r." + column + " in (" + keys + ")");
                    }
                } else {
                    st.execute("create table " + building + " as " + sql);
                }
            }
            long rows;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from " + building)) {
                rs.next();
                rows = rs.getLong(1);
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
                st.execute("drop table if exists " + quoted);
                st.execute("alter table " + building + " rename to " + TransformExecutor.quote(name));
                for (List<String> index : step.indexes()) {
                    st.execute("create index " + TransformExecutor.quote(name + "_" + String.join("_", index) + "_idx")
                            + " on " + quoted + " (" + String.join(", ", index.stream()
                            .map(TransformExecutor::quote).toList()) + ")");
                }
                try (PreparedStatement ps = c.prepareStatement("select format('comment on table %s is %L', ?::text, ?)")) {
                    ps.setString(1, quoted);
                    ps.setString(2, "Rollup built by ELT pipeline " + ctx.pipeline().name() + ", step " + step.name()
                            + " (" + step.file().get() + "), run " + ctx.runId() + "; " + definition);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        st.execute(rs.getString(1));
                    }
                }
                st.execute("analyze " + quoted);
            }
            tx.lineage(ctx.runId(), step.name(), "read", "table", readsOf(sql));
            tx.lineage(ctx.runId(), step.name(), "write", "table", List.of(table));
            if (incremental) {
                return StepOutcome.noted(files, null, rows, null, "incremental: " + changedKeys + " "
                        + step.incremental().get().column() + " values rebuilt, the other rows copied");
            }
            return StepOutcome.done(files, null, rows, null, null);
        }, !exists);
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
