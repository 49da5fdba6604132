package org.wwi.elt;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The {@code sql}, {@code merge} and {@code scd2} steps, each in one batch transaction ({@link BatchStep}). */
final class TransformExecutor {
    private TransformExecutor() {
    }

    static String quote(String identifier) {
        return "\"" + identifier.toLowerCase(Locale.ROOT).replace("\"", "\"\"") + "\"";
    }

    static String table(String qualified) {
        int dot = qualified.indexOf('.');
        return quote(qualified.substring(0, dot)) + "." + quote(qualified.substring(dot + 1));
    }

    private static String columns(List<String> names, String prefix) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            out.add(prefix + quote(n));
        }
        return String.join(", ", out);
    }

    // ---------------------------------------------------------------------------------------- sql

    static StepOutcome sql(Steps.Sql step, StepContext ctx) {
        return BatchStep.run(step, step.when(), ctx, (tx, files) -> {
            String sql = ctx.expand(step.sql(), step.file() + " of pipeline " + ctx.pipeline().name());
            long changed = 0;
            try (Statement st = ctx.work().createStatement()) {
                boolean results = st.execute(sql);
                while (true) {
                    if (results) {
                        st.getResultSet().close();
                    } else {
                        int n = st.getUpdateCount();
                        if (n == -1) {
                            break;
                        }
                        changed += n;
                    }
                    results = st.getMoreResults();
                }
            }
            tx.lineage(ctx.runId(), step.name(), "read", "table", step.reads());
            tx.lineage(ctx.runId(), step.name(), "write", "table", step.writes());
            return StepOutcome.done(files, null, changed, null, null);
        });
    }

    // ---------------------------------------------------------------------------------------- merge

    static StepOutcome merge(Steps.Merge step, StepContext ctx) {
        return BatchStep.run(step, step.when(), ctx, (tx, files) -> {
            Connection c = ctx.work();
            long in = batchRows(c, step.from());
            long out = 0;
            if (in > 0) {
                List<String> targets = new ArrayList<>(step.key());
                List<String> sources = new ArrayList<>(step.key());
                step.columns().forEach((t, s) -> {
                    targets.add(t);
                    sources.add(s);
                });
                List<String> updates = new ArrayList<>();
                step.columns().keySet().forEach(t -> updates.add(quote(t) + " = excluded." + quote(t)));
                step.set().forEach((t, expr) -> updates.add(quote(t) + " = " + ctx.expand(expr, "set of step "
                        + step.name())));
                String changedTest = step.columns().isEmpty() ? "" : " where (" + columns(List.copyOf(
                        step.columns().keySet()), "t.") + ") is distinct from (" + columns(List.copyOf(
                        step.columns().keySet()), "excluded.") + ")";
                String sql = "insert into " + table(step.into()) + " as t (" + columns(targets, "") + ") "
                        + "select distinct on (" + columns(step.key(), "s.") + ") " + columns(sources, "s.")
                        + " from " + table(step.from()) + " s where s.elt_file_id in (select file_id from elt_batch) "
                        + "order by " + columns(step.key(), "s.") + ", s.elt_file_id desc "
                        + "on conflict (" + columns(step.key(), "") + ") do "
                        + (updates.isEmpty() ? "nothing" : "update set " + String.join(", ", updates) + changedTest);
                try (Statement st = c.createStatement()) {
                    out = st.executeUpdate(sql);
                }
            }
            tx.lineage(ctx.runId(), step.name(), "read", "table", List.of(step.from()));
            tx.lineage(ctx.runId(), step.name(), "write", "table", List.of(step.into()));
            return StepOutcome.done(files, in, out, null, null);
        });
    }

    private static long batchRows(Connection c, String from) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from " + table(from)
                + " where elt_file_id in (select file_id from elt_batch)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---------------------------------------------------------------------------------------- scd2

    static StepOutcome scd2(Steps.Scd2 step, StepContext ctx) {
        return BatchStep.run(step, step.when(), ctx, (tx, files) -> {
            Connection c = ctx.work();
            long in = batchRows(c, step.from());
            long out = 0;
            if (in > 0) {
                out = scd2Batch(step, ctx, c);
            }
            tx.lineage(ctx.runId(), step.name(), "read", "table", List.of(step.from()));
            tx.lineage(ctx.runId(), step.name(), "write", "table", List.of(step.into()));
            return StepOutcome.done(files, in, out, null, null);
        });
    }

    private static long scd2Batch(Steps.Scd2 step, StepContext ctx, Connection c) throws SQLException {
        List<String> key = step.key();
        List<String> tracked = List.copyOf(step.columns().keySet());
        List<String> selectList = new ArrayList<>();
        key.forEach(k -> selectList.add("s." + quote(k)));
        step.columns().forEach((t, s) -> selectList.add("s." + quote(s) + " as " + quote(t)));
        String target = table(step.into());
        String keyJoin = String.join(" and ", key.stream().map(k -> "t." + quote(k) + " = s." + quote(k)).toList());
        String current = "t." + quote(step.isCurrent());
        List<String> insertCols = new ArrayList<>(key);
        insertCols.addAll(tracked);
        insertCols.add(step.validFrom());
        insertCols.add(step.validTo());
        insertCols.add(step.isCurrent());
        step.hashColumn().ifPresent(insertCols::add);
        String hash = "md5(row(" + columns(tracked, "s.") + ")::text)";
        String values = columns(key, "s.") + ", " + columns(tracked, "s.");
        Timestamp asOf = Timestamp.from(ctx.asOf());
        long changed = 0;
        try (Statement st = c.createStatement()) {
            st.execute("create temporary table elt_scd2_src on commit drop as select distinct on ("
                    + columns(key, "s.") + ") " + String.join(", ", selectList) + " from " + table(step.from())
                    + " s where s.elt_file_id in (select file_id from elt_batch) order by " + columns(key, "s.")
                    + ", s.elt_file_id desc");
            st.execute("create temporary table elt_scd2_changed on commit drop as select " + columns(key, "")
                    + " from elt_scd2_src limit 0");
        }
        try (PreparedStatement ps = c.prepareStatement("with closed as (update " + target + " t set "
                + quote(step.validTo()) + " = ?, " + quote(step.isCurrent()) + " = false from elt_scd2_src s where "
                + keyJoin + " and " + current + " and (" + columns(tracked, "t.") + ") is distinct from ("
                + columns(tracked, "s.") + ") returning " + columns(key, "t.") + ") "
                + "insert into elt_scd2_changed select * from closed")) {
            ps.setTimestamp(1, asOf);
            changed += ps.executeUpdate();
        }
        String insert = "insert into " + target + " (" + columns(insertCols, "") + ") ";
        try (PreparedStatement ps = c.prepareStatement(insert + "select " + values + ", ?, 'infinity', true"
                + (step.hashColumn().isPresent() ? ", " + hash : "") + " from elt_scd2_src s join elt_scd2_changed ch "
                + "using (" + columns(key, "") + ")")) {
            ps.setTimestamp(1, asOf);
            changed += ps.executeUpdate();
        }
        // keys without a current version: new ones (valid since -infinity, or the run's time) and returning ones
        String first = step.firstFromInfinity() ? "'-infinity'::timestamptz" : "?::timestamptz";
        try (PreparedStatement ps = c.prepareStatement(insert + "select " + values + ", case when exists (select 1 "
                + "from " + target + " t where " + keyJoin + ") then ?::timestamptz else " + first + " end, "
                + "'infinity', true" + (step.hashColumn().isPresent() ? ", " + hash : "") + " from elt_scd2_src s "
                + "where not exists (select 1 from " + target + " t where " + keyJoin + " and " + current + ")")) {
            ps.setTimestamp(1, asOf);
            if (!step.firstFromInfinity()) {
                ps.setTimestamp(2, asOf);
            }
            changed += ps.executeUpdate();
        }
        if (step.closeDeleted()) {
            try (PreparedStatement ps = c.prepareStatement("update " + target + " t set " + quote(step.validTo())
                    + " = ?, " + quote(step.isCurrent()) + " = false where " + current + " and not exists (select 1 "
                    + "from elt_scd2_src s where " + keyJoin + ")")) {
                ps.setTimestamp(1, asOf);
                changed += ps.executeUpdate();
            }
        }
        return changed;
    }

}
