package org.wwi.elt;

import org.quartz.CronExpression;
import org.wwi.platform.yaml.YamlErrors;
import org.wwi.platform.yaml.YamlNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and validates one pipeline file. Every error names the file, the line, the path inside the
 * document and the fix; SQL files are read (relative to the pipeline file) and their placeholders
 * checked here, so that a run never starts with a broken pipeline.
 */
final class PipelineReader {
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern EVERY = Pattern.compile("(\\d+)\\s*(seconds?|s|minutes?|min|m|hours?|h)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern WRITES = Pattern.compile("\\b(?:insert\\s+into|update|delete\\s+from|merge\\s+into"
            + "|truncate(?:\\s+table)?|create\\s+table(?:\\s+if\\s+not\\s+exists)?)\\s+(?:only\\s+)?"
            + "([a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern READS = Pattern.compile("\\b(?:from|join|using)\\s+(?:only\\s+)?"
            + "([a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*)\\b(?!\\s*\\()", Pattern.CASE_INSENSITIVE);
    private static final List<String> STEP_KEYS = List.of("name", "kind", "depends_on", "when");
    private static final List<String> TEST_KINDS = List.of("not_null", "unique", "accepted_values", "relationships",
            "row_count", "freshness");
    /** Errors in a pipeline file: "Cannot read pipeline FILE:LINE (PATH): PROBLEM (HINT)". */
    private static final YamlErrors ERRORS = YamlErrors.of("Cannot read pipeline",
            (message, cause) -> new EltException(EltErrorCode.PIPELINE_INVALID, message, cause));

    private final String file;
    private final Function<String, Optional<String>> sqlFiles;
    private final MessageDigest digest;
    private Set<String> parameterNames = Set.of();

    private PipelineReader(String file, Function<String, Optional<String>> sqlFiles) {
        this.file = file;
        this.sqlFiles = sqlFiles;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a pipeline.
     *
     * @param file     the file as shown in messages (e.g. {@code elt-jobs/pipelines/weblogs_daily.yaml})
     * @param stem     the file's base name: the pipeline's name
     * @param text     the YAML
     * @param sqlFiles the text of a file named relative to the pipeline file, if it exists
     */
    static Pipeline read(String file, String stem, String text, Function<String, Optional<String>> sqlFiles) {
        return new PipelineReader(file, sqlFiles).pipeline(stem, text);
    }

    private Pipeline pipeline(String stem, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        YamlNode root = YamlNode.parse(file, text, ERRORS);
        if (!root.isMap()) {
            throw root.error("a pipeline file is a mapping", "start with 'name:' and 'steps:'");
        }
        root.allowKeys(List.of("name", "description", "schedule", "misfire", "parameters", "steps"));
        String name = root.get("name").text(stem);
        if (!NAME.matcher(name).matches()) {
            throw root.get("name").error("'" + name + "' is not a pipeline name", "use lower-case letters, digits "
                    + "and '_', starting with a letter");
        }
        if (!name.equals(stem)) {
            throw root.get("name").error("the name '" + name + "' differs from the file name '" + stem + "'",
                    "rename the file to " + name + ".yaml or drop the name");
        }
        Optional<Pipeline.Schedule> schedule = schedule(root.get("schedule"));
        Pipeline.Misfire misfire = Pipeline.Misfire.valueOf(root.get("misfire").choice("run_once",
                List.of("run_once", "skip")).toUpperCase(Locale.ROOT));
        Map<String, String> parameters = new LinkedHashMap<>();
        root.get("parameters").entries().forEach((k, v) -> {
            if (!IDENT.matcher(k).matches()) {
                throw v.error("'" + k + "' is not a parameter name", "use letters, digits and '_'");
            }
            if (Placeholders.BUILT_IN.contains(k)) {
                throw v.error("'" + k + "' is a built-in placeholder", "pick another name");
            }
            parameters.put(k, v.text());
        });
        parameterNames = parameters.keySet();
        YamlNode stepsNode = root.get("steps");
        if (stepsNode.items().isEmpty()) {
            throw stepsNode.error("a pipeline needs steps", "add a list of steps under steps:");
        }
        boolean hasLoads = stepsNode.items().stream().anyMatch(s -> s.get("kind").text("").equals("load"));
        Steps.When defaultWhen = hasLoads ? Steps.When.NEW_DATA : Steps.When.ALWAYS;
        List<Step> steps = new ArrayList<>();
        Map<String, YamlNode> nodes = new LinkedHashMap<>();
        for (YamlNode s : stepsNode.items()) {
            Step step = step(s, defaultWhen);
            if (nodes.put(step.name(), s) != null) {
                throw s.get("name").error("a second step is called '" + step.name() + "'", "step names must be unique");
            }
            steps.add(step);
        }
        List<Step> ordered = order(steps, nodes);
        String description = root.get("description").text("");
        return new Pipeline(name, description.strip(), file, HexFormat.of().formatHex(digest.digest()), schedule,
                misfire, parameters, ordered);
    }

    private Optional<Pipeline.Schedule> schedule(YamlNode n) {
        if (n.isMissing()) {
            return Optional.empty();
        }
        n.allowKeys(List.of("cron", "time_zone", "every"));
        ZoneId zone;
        String zoneText = n.get("time_zone").text("UTC");
        try {
            zone = zoneText.equals("UTC") ? ZoneOffset.UTC : ZoneId.of(zoneText);
        } catch (DateTimeException e) {
            throw n.get("time_zone").error("unknown time zone '" + zoneText + "'", "use a region such as Europe/London "
                    + "or UTC");
        }
        Optional<String> cron = n.get("cron").optionalText().map(String::strip);
        Optional<String> every = n.get("every").optionalText().map(String::strip);
        if (cron.isPresent() == every.isPresent()) {
            throw n.error("a schedule needs exactly one of cron and every", "write cron: \"0 15 2 * * ?\" with "
                    + "time_zone:, or every: 5 minutes");
        }
        if (cron.isPresent()) {
            try {
                new CronExpression(cron.get());
            } catch (java.text.ParseException e) {
                throw n.get("cron").error("'" + cron.get() + "' is not a Quartz cron expression (" + e.getMessage() + ")",
                        "write seconds minutes hours day-of-month month day-of-week, e.g. \"0 15 2 * * ?\"");
            }
            return Optional.of(new Pipeline.Schedule(cron, zone, Optional.empty()));
        }
        Matcher m = EVERY.matcher(every.get());
        if (!m.matches()) {
            throw n.get("every").error("'" + every.get() + "' is not an interval", "write e.g. 5 minutes, 1 hour or "
                    + "30 seconds");
        }
        long count = Long.parseLong(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        Duration d = unit.startsWith("h") ? Duration.ofHours(count) : unit.startsWith("m") ? Duration.ofMinutes(count)
                : Duration.ofSeconds(count);
        if (d.isZero() || d.compareTo(Duration.ofDays(366)) > 0) {
            throw n.get("every").error("'" + every.get() + "' is out of range", "use 1 second to 366 days");
        }
        return Optional.of(new Pipeline.Schedule(Optional.empty(), zone, Optional.of(d)));
    }

    private Step step(YamlNode s, Steps.When defaultWhen) {
        if (!s.isMap()) {
            throw s.error("a step is a mapping", "write '- name: …' and 'kind: …'");
        }
        String name = s.get("name").text();
        if (!IDENT.matcher(name).matches()) {
            throw s.get("name").error("'" + name + "' is not a step name", "use letters, digits and '_'");
        }
        String kind = s.get("kind").choice(null, List.of("load", "sql", "merge", "scd2", "test", "refresh"));
        if (kind == null) {
            throw s.get("kind").error("a step needs a kind", "write kind: load, sql, merge, scd2, test or refresh");
        }
        List<String> dependsOn = s.get("depends_on").texts();
        Steps.When when = Steps.When.valueOf(s.get("when").choice(defaultWhen.name().toLowerCase(Locale.ROOT),
                List.of("new_data", "always")).toUpperCase(Locale.ROOT));
        return switch (kind) {
            case "load" -> load(s, name, dependsOn);
            case "sql" -> sql(s, name, dependsOn, when);
            case "merge" -> merge(s, name, dependsOn, when);
            case "scd2" -> scd2(s, name, dependsOn, when);
            case "test" -> test(s, name, dependsOn, when);
            default -> refresh(s, name, dependsOn, when);
        };
    }

    private static List<String> keys(String... kindKeys) {
        List<String> all = new ArrayList<>(STEP_KEYS);
        all.addAll(List.of(kindKeys));
        return all;
    }

    private Steps.Load load(YamlNode s, String name, List<String> dependsOn) {
        s.allowKeys(keys("from", "into", "columns", "require_success", "window_column", "batch", "max_files"));
        if (!s.get("when").isMissing()) {
            throw s.get("when").error("a load runs every time", "remove when:");
        }
        Map<String, String> columns = new LinkedHashMap<>();
        s.get("columns").entries().forEach((target, source) -> columns.put(ident(source.path(), target, source),
                ident(source.path(), source.text(), source)));
        Optional<String> windowColumn = s.get("window_column").optionalText().map(t -> ident("window_column", t,
                s.get("window_column")));
        Steps.Batch batch = Steps.Batch.valueOf(s.get("batch").choice("all_or_nothing",
                List.of("all_or_nothing", "per_file")).toUpperCase(Locale.ROOT));
        return new Steps.Load(name, dependsOn, table(s.get("from")), table(s.get("into")), columns,
                s.get("require_success").bool(true), windowColumn, batch,
                (int) s.get("max_files").number(0, 0, 1_000_000));
    }

    private Steps.Sql sql(YamlNode s, String name, List<String> dependsOn, Steps.When when) {
        s.allowKeys(keys("file", "reads", "writes"));
        String path = s.get("file").text();
        String sql = sqlFile(s.get("file"), path);
        List<String> reads = s.get("reads").isMissing() ? found(READS, sql) : tables(s.get("reads"));
        List<String> writes = s.get("writes").isMissing() ? found(WRITES, sql) : tables(s.get("writes"));
        return new Steps.Sql(name, dependsOn, when, path, sql, reads, writes);
    }

    private Steps.Merge merge(YamlNode s, String name, List<String> dependsOn, Steps.When when) {
        s.allowKeys(keys("from", "into", "key", "columns", "set"));
        List<String> key = identList(s.get("key"));
        Map<String, String> columns = columnMap(s.get("columns"));
        key.forEach(columns::remove);
        Map<String, String> set = new LinkedHashMap<>();
        s.get("set").entries().forEach((k, v) -> {
            set.put(ident(v.path(), k, v), v.text());
            checkPlaceholders(v.text(), v);
        });
        return new Steps.Merge(name, dependsOn, when, table(s.get("from")), table(s.get("into")), key, columns, set);
    }

    private Steps.Scd2 scd2(YamlNode s, String name, List<String> dependsOn, Steps.When when) {
        s.allowKeys(keys("from", "into", "key", "columns", "valid_from", "valid_to", "is_current", "hash_column",
                "hard_deletes", "first_valid_from"));
        List<String> key = identList(s.get("key"));
        Map<String, String> columns = columnMap(s.get("columns"));
        key.forEach(columns::remove);
        if (columns.isEmpty()) {
            throw s.get("columns").error("scd2 needs the tracked columns", "list the columns whose change makes a "
                    + "new version");
        }
        boolean close = s.get("hard_deletes").choice("ignore", List.of("ignore", "close")).equals("close");
        boolean infinity = s.get("first_valid_from").choice("-infinity", List.of("-infinity", "run_time"))
                .equals("-infinity");
        return new Steps.Scd2(name, dependsOn, when, table(s.get("from")), table(s.get("into")), key, columns,
                ident("valid_from", s.get("valid_from").text("valid_from"), s.get("valid_from")),
                ident("valid_to", s.get("valid_to").text("valid_to"), s.get("valid_to")),
                ident("is_current", s.get("is_current").text("is_current"), s.get("is_current")),
                s.get("hash_column").optionalText().map(t -> ident("hash_column", t, s.get("hash_column"))), close,
                infinity);
    }

    private Steps.Test test(YamlNode s, String name, List<String> dependsOn, Steps.When when) {
        s.allowKeys(keys("tests"));
        List<Steps.DataTest> tests = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (YamlNode t : s.get("tests").items()) {
            Steps.DataTest dt = dataTest(t);
            if (!names.add(dt.name())) {
                throw t.error("a second test is called '" + dt.name() + "'", "give one of them a name:");
            }
            tests.add(dt);
        }
        if (tests.isEmpty()) {
            throw s.get("tests").error("a test step needs tests", "list tests such as not_null, unique, "
                    + "accepted_values, relationships, row_count, freshness");
        }
        return new Steps.Test(name, dependsOn, when, tests);
    }

    private Steps.DataTest dataTest(YamlNode t) {
        if (!t.isMap()) {
            throw t.error("a test is a mapping", "write e.g. '- not_null: {table: dw.x, columns: [a]}'");
        }
        List<String> kinds = t.entries().keySet().stream().filter(TEST_KINDS::contains).toList();
        if (kinds.size() != 1) {
            throw t.error(kinds.isEmpty() ? "no test kind" : "more than one test kind " + kinds, "write exactly one "
                    + "of " + String.join(", ", TEST_KINDS) + " per test");
        }
        List<String> allowed = new ArrayList<>(List.of("severity", "name"));
        allowed.add(kinds.get(0));
        t.allowKeys(allowed);
        String kind = kinds.get(0);
        YamlNode b = t.get(kind);
        boolean warn = t.get("severity").choice("error", List.of("error", "warn")).equals("warn");
        List<String> keys = switch (kind) {
            case "not_null", "unique" -> List.of("table", "columns", "column", "where");
            case "accepted_values" -> List.of("table", "column", "values", "where");
            case "relationships" -> List.of("table", "column", "to", "field", "where");
            case "row_count" -> List.of("table", "min_rows", "max_decrease_percent", "max_increase_percent", "where");
            default -> List.of("table", "column", "max_age", "where");
        };
        b.allowKeys(keys);
        String table = table(b.get("table"));
        List<String> columns = new ArrayList<>();
        if (!b.get("columns").isMissing()) {
            columns.addAll(identList(b.get("columns")));
        }
        if (!b.get("column").isMissing()) {
            columns.add(ident("column", b.get("column").text(), b.get("column")));
        }
        boolean needsColumns = !kind.equals("row_count");
        if (needsColumns && columns.isEmpty()) {
            throw b.error("test " + kind + " needs a column", "write column: NAME" + (kind.equals("not_null")
                    || kind.equals("unique") ? " or columns: [A, B]" : ""));
        }
        if ((kind.equals("accepted_values") || kind.equals("relationships") || kind.equals("freshness"))
                && columns.size() != 1) {
            throw b.error("test " + kind + " takes one column", "write column: NAME");
        }
        Optional<String> where = b.get("where").optionalText();
        where.ifPresent(w -> checkPlaceholders(w, b.get("where")));
        List<String> values = List.of();
        if (kind.equals("accepted_values")) {
            values = b.get("values").texts();
            if (values.isEmpty()) {
                throw b.get("values").error("accepted_values needs values", "write values: [a, b]");
            }
        }
        Optional<String> to = Optional.empty();
        Optional<String> field = Optional.empty();
        if (kind.equals("relationships")) {
            to = Optional.of(table(b.get("to")));
            field = Optional.of(ident("field", b.get("field").text(columns.get(0)), b.get("field")));
        }
        Optional<Long> minRows = Optional.empty();
        Optional<Double> maxDecrease = Optional.empty();
        Optional<Double> maxIncrease = Optional.empty();
        if (kind.equals("row_count")) {
            minRows = b.get("min_rows").isMissing() ? Optional.empty()
                    : Optional.of(b.get("min_rows").number(0, 0, Long.MAX_VALUE));
            maxDecrease = b.get("max_decrease_percent").isMissing() ? Optional.empty()
                    : Optional.of(b.get("max_decrease_percent").decimal(0, 0, 100));
            maxIncrease = b.get("max_increase_percent").isMissing() ? Optional.empty()
                    : Optional.of(b.get("max_increase_percent").decimal(0, 0, 1e9));
            if (minRows.isEmpty() && maxDecrease.isEmpty() && maxIncrease.isEmpty()) {
                throw b.error("row_count needs a limit", "write min_rows, max_decrease_percent or "
                        + "max_increase_percent");
            }
        }
        Optional<Duration> maxAge = Optional.empty();
        if (kind.equals("freshness")) {
            maxAge = Optional.of(duration(b.get("max_age")));
        }
        String name = t.get("name").text(kind + "(" + table + (columns.isEmpty() ? "" : "."
                + String.join(",", columns)) + ")");
        return new Steps.DataTest(kind, name, warn, table, columns, where, values, to, field, minRows, maxDecrease,
                maxIncrease, maxAge);
    }

    private static Duration duration(YamlNode n) {
        String t = n.text().strip();
        try {
            return Duration.parse(t.toUpperCase(Locale.ROOT).startsWith("P") ? t.toUpperCase(Locale.ROOT)
                    : "PT" + t.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            Matcher m = Pattern.compile("(\\d+)\\s*(days?|d|hours?|h|minutes?|m)", Pattern.CASE_INSENSITIVE).matcher(t);
            if (m.matches()) {
                long c = Long.parseLong(m.group(1));
                String u = m.group(2).toLowerCase(Locale.ROOT);
                return u.startsWith("d") ? Duration.ofDays(c) : u.startsWith("h") ? Duration.ofHours(c)
                        : Duration.ofMinutes(c);
            }
            throw n.error("'" + t + "' is not a duration", "write e.g. 2 days, 6 hours or P2D");
        }
    }

    private Steps.Refresh refresh(YamlNode s, String name, List<String> dependsOn, Steps.When when) {
        s.allowKeys(keys("rollups", "table", "sql", "indexes", "allow_empty", "max_shrink_percent", "incremental"));
        boolean model = !s.get("rollups").isMissing();
        boolean sqlRollup = !s.get("table").isMissing() || !s.get("sql").isMissing();
        if (model == sqlRollup) {
            throw s.error("a refresh needs either rollups: (the semantic model's) or table: with sql:",
                    "write rollups: all, or table: mart.NAME and sql: FILE.sql");
        }
        boolean allowEmpty = s.get("allow_empty").bool(false);
        double shrink = s.get("max_shrink_percent").decimal(0, 0, 100);
        if (model) {
            List<String> rollups = s.get("rollups").texts().stream().map(r -> r.equals("all") ? "*" : r).toList();
            if (rollups.isEmpty()) {
                throw s.get("rollups").error("no rollups named", "write rollups: all or a list of rollup names");
            }
            for (String k : List.of("indexes", "incremental")) {
                if (!s.get(k).isMissing()) {
                    throw s.get(k).error(k + " belongs to SQL rollups", "remove " + k + ":");
                }
            }
            return new Steps.Refresh(name, dependsOn, when, rollups, Optional.empty(), Optional.empty(),
                    Optional.empty(), List.of(), allowEmpty, shrink, Optional.empty());
        }
        String table = table(s.get("table"));
        String path = s.get("sql").text();
        String sql = sqlFile(s.get("sql"), path).strip();
        while (sql.endsWith(";")) {
            sql = sql.substring(0, sql.length() - 1).strip();
        }
        List<List<String>> indexes = new ArrayList<>();
        for (YamlNode i : s.get("indexes").items()) {
            List<String> cols = i.isList() ? identList(i) : List.of(i.text().split(",")).stream().map(String::strip)
                    .map(c -> ident(i.path(), c, i)).toList();
            indexes.add(cols);
        }
        Optional<Steps.Incremental> incremental = Optional.empty();
        YamlNode inc = s.get("incremental");
        if (!inc.isMissing()) {
            inc.allowKeys(List.of("column", "changed"));
            String changed = inc.get("changed").text().strip();
            checkPlaceholders(changed, inc.get("changed"));
            incremental = Optional.of(new Steps.Incremental(ident("column", inc.get("column").text(), inc.get("column")),
                    changed));
        }
        return new Steps.Refresh(name, dependsOn, when, List.of(), Optional.of(table), Optional.of(path),
                Optional.of(sql), indexes, allowEmpty, shrink, incremental);
    }

    private String sqlFile(YamlNode n, String path) {
        if (path.contains("..") || path.startsWith("/")) {
            throw n.error("'" + path + "' leaves the pipelines folder", "name a file below it, e.g. sql/x.sql");
        }
        String sql = sqlFiles.apply(path).orElseThrow(() -> n.error("there is no file " + path + " beside the pipeline",
                "create it, or fix the path (relative to the pipeline file)"));
        digest.update(path.getBytes(StandardCharsets.UTF_8));
        digest.update(sql.getBytes(StandardCharsets.UTF_8));
        checkPlaceholders(sql, n);
        return sql;
    }

    private void checkPlaceholders(String text, YamlNode n) {
        for (String p : Placeholders.names(text)) {
            if (!Placeholders.BUILT_IN.contains(p) && !parameterNames.contains(p)) {
                throw n.error("${" + p + "} is neither a parameter nor built in", "declare it under parameters:, or "
                        + "use one of " + String.join(", ", Placeholders.BUILT_IN.stream().sorted().toList()));
            }
        }
    }

    private static String table(YamlNode n) {
        String t = n.text().strip();
        if (!TABLE.matcher(t).matches()) {
            throw n.error("'" + t + "' is not a table name", "write schema.table, e.g. stg.weblog");
        }
        return t.toLowerCase(Locale.ROOT);
    }

    private static List<String> tables(YamlNode n) {
        return n.items().stream().map(PipelineReader::table).toList();
    }

    private static String ident(String what, String value, YamlNode n) {
        String v = value.strip();
        if (!IDENT.matcher(v).matches()) {
            throw n.error("'" + value + "' is not a column name (" + what + ")", "use letters, digits and '_'");
        }
        return v;
    }

    private static List<String> identList(YamlNode n) {
        List<String> out = n.items().stream().map(i -> ident(i.path(), i.text(), i)).toList();
        if (out.isEmpty()) {
            throw n.error("at least one column is needed", "write [a, b] or a single name");
        }
        return out;
    }

    /** {@code [a, b]} (same names on both sides) or {@code {target: source}}. */
    private static Map<String, String> columnMap(YamlNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n.isMap()) {
            n.entries().forEach((k, v) -> out.put(ident(v.path(), k, v), ident(v.path(), v.text(), v)));
        } else {
            identList(n).forEach(c -> out.put(c, c));
        }
        if (out.isEmpty()) {
            throw n.error("columns are needed", "write [a, b] or {target: source}");
        }
        return out;
    }

    private static List<String> found(Pattern p, String sql) {
        String text = sql.replaceAll("--[^\n]*", " ");
        Set<String> out = new LinkedHashSet<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        return List.copyOf(out);
    }

    /** Steps ordered so that each follows its dependencies; file order otherwise. */
    private static List<Step> order(List<Step> steps, Map<String, YamlNode> nodes) {
        for (Step s : steps) {
            for (String d : s.dependsOn()) {
                if (!nodes.containsKey(d)) {
                    throw nodes.get(s.name()).get("depends_on").error("there is no step '" + d + "'", "name a step "
                            + "of this pipeline: " + String.join(", ", nodes.keySet()));
                }
                if (d.equals(s.name())) {
                    throw nodes.get(s.name()).get("depends_on").error("a step cannot depend on itself", "remove it");
                }
            }
        }
        List<Step> out = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        List<Step> left = new ArrayList<>(steps);
        while (!left.isEmpty()) {
            Step next = left.stream().filter(s -> done.containsAll(s.dependsOn())).findFirst().orElse(null);
            if (next == null) {
                String cycle = String.join(" -> ", left.stream().map(Step::name).toList());
                throw nodes.get(left.get(0).name()).get("depends_on").error("the steps depend on each other in a cycle ("
                        + cycle + ")", "remove one of the depends_on entries");
            }
            out.add(next);
            done.add(next.name());
            left.remove(next);
        }
        return out;
    }
}
