package org.wwi.elt;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The {@code test} step: data tests on warehouse tables. Each test counts offending rows (or
 * measures a count or an age); a failing test with severity error fails the step (and so the
 * steps that depend on it, e.g. a rollup refresh), one with severity warn only warns. Results go
 * to {@code elt.test_result} whatever the outcome.
 */
final class TestExecutor {
    private TestExecutor() {
    }

    record Verdict(String status, Double observed, String message) {
    }

    static StepOutcome run(Steps.Test step, StepContext ctx) {
        return BatchStep.run(step, step.when(), ctx, (tx, files) -> {
            List<String> failures = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            List<String> tables = new ArrayList<>();
            for (Steps.DataTest t : step.tests()) {
                Verdict v = check(t, step, ctx);
                ctx.ledger().testResult(ctx.runId(), step.name(), t.name(), t.warn(), v.status(), v.observed(),
                        v.message());
                if (v.status().equals("failed")) {
                    failures.add(t.name() + ": " + v.message());
                } else if (v.status().equals("warned")) {
                    warnings.add(t.name() + ": " + v.message());
                }
                tables.add(t.table());
                t.toTable().ifPresent(tables::add);
            }
            tx.lineage(ctx.runId(), step.name(), "read", "table", tables.stream().distinct().toList());
            int passed = step.tests().size() - failures.size() - warnings.size();
            if (!failures.isEmpty()) {
                List<String> all = new ArrayList<>(failures);
                all.addAll(warnings);
                return new StepOutcome("failed", files, java.util.OptionalLong.empty(), java.util.OptionalLong.empty(),
                        java.util.OptionalLong.empty(), java.util.Optional.of(failures.size() + " of "
                        + step.tests().size() + " tests failed: " + String.join("; ", all)));
            }
            return StepOutcome.done(files, null, null, null, warnings.isEmpty() ? null : warnings.size()
                    + (warnings.size() == 1 ? " test" : " tests") + " warned (" + passed + " passed): "
                    + String.join("; ", warnings));
        });
    }

    private static Verdict check(Steps.DataTest t, Steps.Test step, StepContext ctx) throws SQLException {
        String where = t.where().map(w -> ctx.expand(w, "test " + t.name() + " of step " + step.name())).orElse("true");
        String rows = "(select * from " + TransformExecutor.table(t.table()) + " where " + where + ") t";
        List<String> cols = t.columns();
        String c0 = cols.isEmpty() ? null : "t." + TransformExecutor.quote(cols.get(0));
        switch (t.kind()) {
            case "not_null" -> {
                String any = cols.stream().map(c -> "t." + TransformExecutor.quote(c) + " is null")
                        .collect(Collectors.joining(" or "));
                long n = count(ctx, "select count(*) from " + rows + " where " + any);
                return verdict(t, n == 0, n, n + " rows with NULL in " + String.join(" or ", cols));
            }
            case "unique" -> {
                String group = cols.stream().map(c -> "t." + TransformExecutor.quote(c)).collect(Collectors.joining(", "));
                long n = count(ctx, "select count(*) from (select 1 from " + rows + " group by " + group
                        + " having count(*) > 1) d");
                return verdict(t, n == 0, n, n + " values of (" + String.join(", ", cols) + ") appear more than once");
            }
            case "accepted_values" -> {
                String list = t.values().stream().map(v -> "'" + v.replace("'", "''") + "'")
                        .collect(Collectors.joining(", "));
                long n = count(ctx, "select count(*) from " + rows + " where " + c0 + " is not null and " + c0
                        + "::text not in (" + list + ")");
                return verdict(t, n == 0, n, n + " rows with " + cols.get(0) + " outside [" + String.join(", ",
                        t.values()) + "]");
            }
            case "relationships" -> {
                String to = TransformExecutor.table(t.toTable().orElseThrow());
                long n = count(ctx, "select count(*) from " + rows + " where " + c0 + " is not null and not exists "
                        + "(select 1 from " + to + " r where r." + TransformExecutor.quote(t.toColumn().orElseThrow())
                        + " = " + c0 + ")");
                return verdict(t, n == 0, n, n + " rows whose " + cols.get(0) + " has no match in "
                        + t.toTable().get() + "." + t.toColumn().get());
            }
            case "row_count" -> {
                long n = count(ctx, "select count(*) from " + rows);
                List<String> problems = new ArrayList<>();
                t.minRows().filter(min -> n < min).ifPresent(min -> problems.add(n + " rows, fewer than min_rows "
                        + min));
                var previous = ctx.ledger().lastObserved(ctx.pipeline().name(), step.name(), t.name());
                if (previous.isPresent() && previous.get() > 0) {
                    double prev = previous.get();
                    double change = (n - prev) / prev * 100;
                    t.maxDecreasePercent().filter(max -> -change > max + 1e-9).ifPresent(max -> problems.add(String
                            .format(Locale.ROOT, "%,d rows, down %.1f%% from %,.0f (max_decrease_percent %s)", n,
                                    -change, prev, fmt(max))));
                    t.maxIncreasePercent().filter(max -> change > max + 1e-9).ifPresent(max -> problems.add(String
                            .format(Locale.ROOT, "%,d rows, up %.1f%% from %,.0f (max_increase_percent %s)", n,
                                    change, prev, fmt(max))));
                }
                return verdict(t, problems.isEmpty(), n, problems.isEmpty() ? String.format(Locale.ROOT, "%,d rows%s",
                        n, previous.map(p -> String.format(Locale.ROOT, " (previously %,.0f)", p)).orElse(""))
                        : String.join("; ", problems));
            }
            default -> {
                Double age;
                try (Statement st = ctx.work().createStatement(); ResultSet rs = st.executeQuery(
                        "select extract(epoch from (now() - max(" + c0 + ")))::float8 from " + rows)) {
                    rs.next();
                    age = rs.getObject(1) == null ? null : rs.getDouble(1);
                }
                Duration max = t.maxAge().orElseThrow();
                if (age == null) {
                    return verdict(t, false, null, "no rows to measure the age of " + cols.get(0));
                }
                return verdict(t, age <= max.toSeconds(), age, "newest " + cols.get(0) + " is " + human(age)
                        + " old (max_age " + human(max.toSeconds()) + ")");
            }
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static String human(double seconds) {
        if (seconds < 0) {
            return "in the future by " + human(-seconds);
        }
        if (seconds >= 86400) {
            return String.format(Locale.ROOT, "%.1f days", seconds / 86400);
        }
        if (seconds >= 3600) {
            return String.format(Locale.ROOT, "%.1f hours", seconds / 3600);
        }
        return String.format(Locale.ROOT, "%.0f seconds", seconds);
    }

    private static Verdict verdict(Steps.DataTest t, boolean ok, Number observed, String message) {
        Double o = observed == null ? null : observed.doubleValue();
        if (ok) {
            return new Verdict("passed", o, message);
        }
        return new Verdict(t.warn() ? "warned" : "failed", o, message);
    }

    private static long count(StepContext ctx, String sql) throws SQLException {
        try (Statement st = ctx.work().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
