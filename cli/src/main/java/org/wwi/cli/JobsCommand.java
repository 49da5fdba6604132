package org.wwi.cli;

import org.wwi.control.SecretStore;
import org.wwi.jobs.ElasticJobs;
import org.wwi.jobs.ExecutionRow;
import org.wwi.jobs.JobDefinition;
import org.wwi.jobs.JobFiles;
import org.wwi.jobs.JobSummary;
import org.wwi.jobs.Lifecycle;
import org.wwi.jobs.Target;
import org.wwi.jobs.TargetResolver;
import org.wwi.platform.Database;
import org.wwi.platform.ErrorKind;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code wwi jobs …}: elastic jobs (Azure Elastic Database Jobs on PostgreSQL). */
@Command(name = "jobs", description = {"Elastic jobs: one SQL script (or migrations folder) across pools of databases.",
        "As Azure Elastic Database Jobs do. The same model as the jobs.sp_* SQL functions",
        "and the files in elastic-jobs/jobs; run them with wwi agent. See docs/ELASTIC-JOBS.md."},
        subcommands = {JobsCommand.Add.class, JobsCommand.Remove.class, JobsCommand.ListJobs.class,
                JobsCommand.Show.class, JobsCommand.Start.class, JobsCommand.Stop.class, JobsCommand.Status.class,
                JobsCommand.History.class, JobsCommand.Purge.class, JobsCommand.Sync.class,
                JobsCommand.Targets.class, JobsCommand.Credential.class})
final class JobsCommand implements Runnable {
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @ParentCommand
    WwiCommand root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand of wwi jobs");
    }

    ElasticJobs open(Database db) {
        return ElasticJobs.open(db, root.home(), root.config().stateDir());
    }

    /** The id when {@code s} is a UUID. */
    static Optional<UUID> uuid(String s) {
        try {
            return Optional.of(UUID.fromString(s));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a name
        }
    }

    static String when(Optional<Instant> i) {
        return i.map(WHEN::format).orElse("");
    }

    static String seconds(ExecutionRow r) {
        if (r.startTime().isEmpty()) {
            return "";
        }
        Instant end = r.endTime().orElse(Instant.now());
        return String.format(Locale.ROOT, "%.1f", Duration.between(r.startTime().get(), end).toMillis() / 1e3);
    }

    /** The per-target table of an execution. */
    static void printExecution(WwiCommand root, List<ExecutionRow> rows) {
        ExecutionRow job = rows.get(0);
        root.out().println("execution " + job.jobExecutionId() + " of job " + job.jobName() + " (version "
                + job.jobVersion() + "): " + job.lifecycle() + job.lastMessage().map(m -> ": " + m).orElse(""));
        TextTable t = new TextTable("step", "target", "lifecycle", "attempts", "seconds", "last message");
        for (ExecutionRow r : rows) {
            if (r.isJob()) {
                continue;
            }
            String step = r.stepId().map(String::valueOf).orElse("") + r.stepName().map(n -> " " + n).orElse("");
            t.row(step, r.isTarget() ? r.target() : "(step)", r.lifecycle(), r.isTarget() ? r.attempts() : "",
                    seconds(r), r.lastMessage().orElse("").replace('\n', ' '));
        }
        t.print(root.out());
    }

    // ------------------------------------------------------------------ add / remove / list / show

    static final class Source {
        @Option(names = "--sql", paramLabel = "SQL", description = "The script to run on each target")
        String sql;

        @Option(names = "--file", paramLabel = "FILE", description = "Read the script from FILE")
        Path file;

        @Option(names = "--migrations", paramLabel = "DIR",
                description = "Apply this folder of Flyway migrations (relative to the project) to each target")
        String migrations;
    }

    static final class Output {
        @Option(names = "--output-server", required = true, paramLabel = "SERVER",
                description = "Server of the output database (the first result set of each target goes there)")
        String server;

        @Option(names = "--output-database", required = true, paramLabel = "DB")
        String database;

        @Option(names = "--output-table", required = true, paramLabel = "TABLE")
        String table;

        @Option(names = "--output-schema", defaultValue = "public", paramLabel = "SCHEMA")
        String schema;

        @Option(names = "--output-credential", paramLabel = "CREDENTIAL")
        String credential;
    }

    @Command(name = "add", description = "Add a job with one step (more steps: jobs.sp_add_jobstep or a YAML file).")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        JobsCommand jobs;

        @Parameters(paramLabel = "JOB")
        String name;

        @Option(names = "--target-group", required = true, paramLabel = "GROUP")
        String targetGroup;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        @Option(names = "--description", defaultValue = "")
        String description;

        @Option(names = "--step-name", defaultValue = "JobStep")
        String stepName;

        @Option(names = "--credential", paramLabel = "CREDENTIAL", description = "Credential to log in to the targets")
        String credential;

        @Option(names = "--retry-attempts", defaultValue = "10")
        int retryAttempts;

        @Option(names = "--timeout-seconds", defaultValue = "43200", description = "step_timeout_seconds (default 12 h)")
        int timeoutSeconds;

        @Option(names = "--max-parallelism", paramLabel = "N", description = "Targets of this step running at once")
        Integer maxParallelism;

        @Option(names = "--every", paramLabel = "N UNIT", description = "Schedule, e.g. '15 minutes', '1 days'")
        String every;

        @Option(names = "--cron", paramLabel = "EXPR", description = "Quartz cron schedule, e.g. '0 0 3 * * ?'")
        String cron;

        @Option(names = "--time-zone", defaultValue = "UTC")
        String timeZone;

        @Option(names = "--enabled", description = "Enable the schedule")
        boolean enabled;

        @ArgGroup(exclusive = false)
        Output output;

        @Override
        public Integer call() throws IOException {
            String command;
            String type = "Sql";
            if (source.sql != null) {
                command = source.sql;
            } else if (source.file != null) {
                command = Files.readString(source.file, StandardCharsets.UTF_8);
            } else {
                command = source.migrations;
                type = "FlywayMigrations";
            }
            JobDefinition.Schedule schedule = JobDefinition.Schedule.once();
            if (every != null && !every.strip().matches("[1-9][0-9]*\\s+(?i)(minute|hour|day|week|month)s?")) {
                jobs.root.err().println("error: Cannot schedule job " + name + ": --every '" + every
                        + "' is not 'N minutes|hours|days|weeks|months'");
                return ErrorKind.USER.exitCode();
            }
            if (every != null || cron != null) {
                String[] parts = every == null ? new String[0] : every.strip().split("\\s+");
                String unit = parts.length == 2 ? parts[1].substring(0, 1).toUpperCase(Locale.ROOT)
                        + parts[1].substring(1).toLowerCase(Locale.ROOT) : "";
                schedule = new JobDefinition.Schedule(cron != null ? "Cron" : unit.endsWith("s") ? unit : unit + "s",
                        parts.length == 2 ? Integer.parseInt(parts[0]) : 1, Optional.empty(), Optional.empty(),
                        Optional.ofNullable(cron), timeZone);
            }
            JobDefinition.Step step = new JobDefinition.Step(stepName, type, command, targetGroup,
                    Optional.ofNullable(credential), List.of(), retryAttempts, 1, 120, 2.0, timeoutSeconds,
                    Optional.ofNullable(maxParallelism), Optional.ofNullable(output).map(o -> new JobDefinition.Output(
                    o.server, o.database, o.schema, o.table, Optional.ofNullable(o.credential))));
            try (Database db = jobs.root.openDatabase()) {
                ElasticJobs ej = jobs.open(db);
                if (ej.job(name).isPresent()) {
                    jobs.root.err().println("error: Cannot add job " + name + ": it exists already (wwi jobs remove "
                            + name + " first, or change it with jobs.sp_update_job / jobs.sp_update_jobstep)");
                    return ErrorKind.USER.exitCode();
                }
                ej.define(new JobDefinition(name, description, enabled, schedule, List.of(step)), Optional.empty());
                jobs.root.out().println("added job " + name + " (version " + ej.jobVersion(name).orElse(0) + ", "
                        + schedule.describe() + "); start it with: wwi jobs start " + name);
            }
            return 0;
        }
    }

    @Command(name = "remove", description = "Delete a job and its history.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        JobsCommand jobs;

        @Parameters(paramLabel = "JOB")
        String name;

        @Option(names = "--force", description = "Also when executions are in progress (agents cancel them)")
        boolean force;

        @Override
        public Integer call() {
            try (Database db = jobs.root.openDatabase()) {
                jobs.open(db).deleteJob(name, force);
                jobs.root.out().println("deleted job " + name);
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List the jobs with their schedule and last execution.")
    static final class ListJobs implements Callable<Integer> {
        @ParentCommand
        JobsCommand jobs;

        @Override
        public Integer call() {
            try (Database db = jobs.root.openDatabase()) {
                TextTable t = new TextTable("job", "version", "enabled", "schedule", "steps", "last execution",
                        "lifecycle", "started (UTC)", "defined in");
                for (JobSummary j : jobs.open(db).jobs()) {
                    t.row(j.name(), j.version(), j.enabled() ? "yes" : "no", j.schedule(), j.steps(),
                            j.lastExecution().map(UUID::toString).orElse(""),
                            j.lastLifecycle().map(Lifecycle::name).orElse(""), when(j.lastStart()),
                            j.definedIn().orElse("sql"));
                }
                t.print(jobs.root.out());
            }
            return 0;
        }
    }

    @Command(name = "show", description = "Show a job's current version: schedule and steps with their commands.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        JobsCommand jobs;

        @Parameters(paramLabel = "JOB")
        String name;

        @Override
        public Integer call() {
            try (Database db = jobs.root.openDatabase()) {
                ElasticJobs ej = jobs.open(db);
                JobDefinition j = ej.job(name).orElseThrow(() -> new CommandLine.ParameterException(
                        jobs.spec.commandLine(), "No job named " + name + " (wwi jobs list shows the jobs)"));
                var out = jobs.root.out();
                out.println("job " + j.name() + " (version " + ej.jobVersion(name).orElse(0) + ")"
                        + (j.description().isEmpty() ? "" : ": " + j.description()));
                out.println("  schedule: " + j.schedule().describe() + (j.enabled() ? ", enabled" : ", disabled"));
                int n = 1;
                for (JobDefinition.Step s : j.steps()) {
                    out.println("  step " + n++ + " " + s.name() + ": " + s.commandType() + " on target group "
                            + s.targetGroup() + s.credential().map(c -> " with credential " + c).orElse("")
                            + s.maxParallelism().map(m -> ", max_parallelism " + m).orElse(""));
                    out.println("    retries " + s.retryAttempts() + " (" + s.initialRetryIntervalSeconds() + "-"
                            + s.maximumRetryIntervalSeconds() + " s, x" + s.retryIntervalBackoffMultiplier()
                            + "), step_timeout_seconds " + s.stepTimeoutSeconds()
                            + (s.credentialParameters().isEmpty() ? "" : ", credential parameters "
                            + s.credentialParameters())
                            + s.output().map(o -> ", output to " + o.describe()).orElse(""));
                    s.command().lines().forEach(l -> out.println("    | " + l));
                }
                out.flush();
            }
            return 0;
        }
    }

    // ------------------------------------------------------------------ executions

    @Command(name = "start", description = "Start a job now (jobs.sp_start_job); a running wwi agent picks it up.")
    static final class Start implements Callable<Integer> {
        @ParentCommand
        JobsCommand jobs;

        @Parameters(paramLabel = "JOB")
        String name;

        @Option(names = "--wait", description = "Follow the execution until it ends (exit 3 unless it succeeds)")
        boolean wait;

        @Option(names = "--timeout", defaultValue = "PT1H", paramLabel = "DURATION",
                description = "With --wait: give up after this long (ISO-8601, default PT1H)")
        Duration timeout;

        @Override
        public Integer call() {
            try (Database db = jobs.root.openDatabase()) {
                ElasticJobs ej = jobs.open(db);
                UUID id = ej.start(name);
                jobs.root.out().println(id);
                jobs.root.out().flush();
                if (!wait) {
                    return 0;
                }
                return Status.follow(jobs.root, ej, id, timeout, System.console() != null);
            }
        }
    }

    @Command(name = "stop", description = "Cancel a job execution (jobs.sp_stop_job).")
    static final class Stop implements Callable<Integer> {
        @ParentCommand
        JobsCommand jobs;

        @Parameters(paramLabel = "EXECUTION_ID")
        UUID id;

        @Override
        public Integer call() {
            try (Database db = jobs.root.openDatabase()) {
                jobs.open(db).stop(id);
                jobs.root.out().println("stop requested for execution " + id);
            }
            return 0;
        }
    }

    @Command(name = "status", description = {"Show an execution target by target: live on a terminal until it ends,",
            "once otherwise (--watch follows it with a line per change)."})
    static final class Status implements Callable<Integer> {
        @ParentCommand
        JobsCommand jobs;

        @Parameters(paramLabel = "EXECUTION_ID|JOB", description = "An execution id, or a job (its latest execution)")
        String what;

        @Option(names = "--watch", description = "Follow until the execution ends")
        boolean watch;

        @Option(names = "--once", description = "Print once, even on a terminal")
        boolean once;

        @Option(names = "--live", description = "Redraw the live view in place even when the output is not a terminal "
                + "(e.g. under watch or tmux pipes)")
        boolean liveAnyway;

        @Override
        public Integer call() {
            try (Database db = jobs.root.openDatabase()) {
                ElasticJobs ej = jobs.open(db);
                UUID id;
                try {
                    id = UUID.fromString(what);
                } catch (IllegalArgumentException e) {
                    id = ej.latestExecution(what).orElseThrow(() -> new CommandLine.ParameterException(
                            jobs.spec.commandLine(), "Job " + what + " has no execution (wwi jobs start " + what + ")"));
                }
                boolean live = liveAnyway || System.console() != null && !once;
                if (live || watch) {
                    return follow(jobs.root, ej, id, Duration.ofDays(1), live);
                }
                printExecution(jobs.root, ej.execution(id));
            }
            return 0;
        }

        /** Follows an execution: a redrawn table on a terminal, a line per target change otherwise. */
        static int follow(WwiCommand root, ElasticJobs ej, UUID id, Duration timeout, boolean live) {
            long deadline = System.nanoTime() + timeout.toNanos();
            Map<String, String> seen = new LinkedHashMap<>();
            int drawn = 0;
            while (true) {
                List<ExecutionRow> rows = ej.execution(id);
                ExecutionRow job = rows.get(0);
                if (live) {
                    java.io.StringWriter buf = new java.io.StringWriter();
                    java.io.PrintWriter pw = new java.io.PrintWriter(buf);
                    progressView(pw, rows);
                    pw.flush();
                    String text = buf.toString();
                    if (drawn > 0) {
                        root.out().print("\033[" + drawn + "F\033[J");
                    }
                    root.out().print(text);
                    root.out().flush();
                    drawn = (int) text.lines().count();
                } else {
                    for (ExecutionRow r : rows) {
                        String key = r.isJob() ? "job" : r.stepId().orElse(0) + " " + (r.isTarget() ? r.target() : "");
                        String state = r.lifecycle() + " " + r.attempts() + r.lastMessage().orElse("");
                        if (!state.equals(seen.put(key, state))) {
                            root.out().println(WHEN.format(Instant.now()) + "  " + (r.isJob() ? "job " + r.jobName()
                                    : "step " + r.stepId().orElse(0) + (r.isTarget() ? " " + r.target() : ""))
                                    + ": " + r.lifecycle() + (r.isTarget() && r.attempts() > 0 ? " (attempt "
                                    + r.attempts() + ")" : "") + r.lastMessage().map(m -> ": " + m).orElse(""));
                        }
                    }
                    root.out().flush();
                }
                if (job.lifecycle().isFinal()) {
                    return job.lifecycle().isSuccess() ? 0 : ErrorKind.EXTERNAL.exitCode();
                }
                if (System.nanoTime() > deadline) {
                    root.err().println("error: Cannot wait for execution " + id + ": still " + job.lifecycle()
                            + " after " + timeout + " (is wwi agent running?)");
                    return ErrorKind.EXTERNAL.exitCode();
                }
                try {
                    Thread.sleep(live ? 250 : 500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ErrorKind.EXTERNAL.exitCode();
                }
            }
        }

        /** A terminal view: a bar per step and a line per target. */
        static void progressView(java.io.PrintWriter out, List<ExecutionRow> rows) {
            ExecutionRow job = rows.get(0);
            out.println("job " + job.jobName() + " v" + job.jobVersion() + "  execution " + job.jobExecutionId()
                    + "  " + job.lifecycle());
            Map<Integer, List<ExecutionRow>> byStep = new LinkedHashMap<>();
            rows.stream().filter(ExecutionRow::isTarget).forEach(r -> byStep.computeIfAbsent(r.stepId().orElse(0),
                    k -> new ArrayList<>()).add(r));
            for (ExecutionRow s : rows) {
                if (s.isJob() || s.isTarget()) {
                    continue;
                }
                List<ExecutionRow> ts = byStep.getOrDefault(s.stepId().orElse(0), List.of());
                long done = ts.stream().filter(t -> t.lifecycle().isFinal()).count();
                int width = 30;
                int filled = ts.isEmpty() ? width : (int) (done * width / ts.size());
                out.println(String.format(Locale.ROOT, "step %d %-20s [%s%s] %d/%d  %s", s.stepId().orElse(0),
                        s.stepName().orElse(""), "#".repeat(filled), " ".repeat(width - filled), done, ts.size(),
                        s.lifecycle()));
                for (ExecutionRow t : ts) {
                    String msg = t.lastMessage().orElse("").replace('\n', ' ');
                    out.println(String.format(Locale.ROOT, "  %-40s %-16s %2d  %6s s  %s", t.target(), t.lifecycle(),
                            t.attempts(), seconds(t), msg.length() > 70 ? msg.substring(0, 70) + "…" : msg));
                }
            }
        }
    }

    @Command(name = "history", description = "Past and running executions, newest first.")
    static final class History implements Callable<Integer> {
        @ParentCommand
        JobsCommand jobs;

        @Parameters(paramLabel = "JOB", arity = "0..1")
        String name;

        @Option(names = "--limit", defaultValue = "20")
        int limit;

        @Override
        public Integer call() {
            try (Database db = jobs.root.openDatabase()) {
                TextTable t = new TextTable("execution", "job", "version", "lifecycle", "created (UTC)", "seconds",
                        "last message");
                for (ExecutionRow r : jobs.open(db).history(Optional.ofNullable(name), limit)) {
                    t.row(r.jobExecutionId(), r.jobName(), r.jobVersion(), r.lifecycle(), when(Optional.of(r.createTime())),
                            seconds(r), r.lastMessage().orElse("").replace('\n', ' '));
                }
                t.print(jobs.root.out());
            }
            return 0;
        }
    }

    @Command(name = "purge", description = "Delete the ended executions of a job (jobs.sp_purge_jobhistory).")
    static final class Purge implements Callable<Integer> {
        @ParentCommand
        JobsCommand jobs;

        @Parameters(paramLabel = "JOB|JOB_ID", description = "A job name, or a job_id (as jobs.sp_purge_jobhistory takes)")
        String name;

        @Option(names = "--older-than", paramLabel = "DURATION",
                description = "Only executions created longer ago than this (ISO-8601, e.g. P30D)")
        Duration olderThan;

        @Override
        public Integer call() {
            try (Database db = jobs.root.openDatabase()) {
                Optional<Instant> before = Optional.ofNullable(olderThan).map(d -> Instant.now().minus(d));
                Optional<UUID> jobId = JobsCommand.uuid(name);
                long n = jobId.isPresent() ? jobs.open(db).purge(jobId.get(), before) : jobs.open(db).purge(name, before);
                jobs.root.out().println("purged " + n + " execution" + (n == 1 ? "" : "s") + " of job " + name);
            }
            return 0;
        }
    }

    @Command(name = "sync", description = "Define the jobs of elastic-jobs/jobs/*.yaml (idempotent; an edit bumps the version).")
    static final class Sync implements Callable<Integer> {
        @ParentCommand
        JobsCommand jobs;

        @Override
        public Integer call() {
            try (Database db = jobs.root.openDatabase()) {
                List<JobFiles.Synced> synced = JobFiles.sync(jobs.open(db), JobFiles.readProject(jobs.root.home()));
                TextTable t = new TextTable("job", "file", "outcome", "version");
                synced.forEach(s -> t.row(s.job(), s.source(), s.outcome().name().toLowerCase(Locale.ROOT), s.version()));
                t.print(jobs.root.out());
            }
            return 0;
        }
    }

    // ------------------------------------------------------------------ targets

    @Command(name = "targets", description = "Target groups and their members (Include / Exclude).",
            subcommands = {Targets.ListMembers.class, Targets.AddGroup.class, Targets.RemoveGroup.class,
                    Targets.AddMember.class, Targets.RemoveMember.class, Targets.Resolve.class})
    static final class Targets implements Runnable {
        @ParentCommand
        JobsCommand jobs;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand of wwi jobs targets");
        }

        @Command(name = "list", description = "Target groups and their members.")
        static final class ListMembers implements Callable<Integer> {
            @ParentCommand
            Targets targets;

            @Parameters(paramLabel = "GROUP", arity = "0..1")
            String group;

            @Override
            public Integer call() {
                try (Database db = targets.jobs.root.openDatabase()) {
                    ElasticJobs ej = targets.jobs.open(db);
                    TextTable t = new TextTable("target group", "membership", "type", "server", "database / pool",
                            "refresh credential", "target id");
                    List<String> groups = group == null ? ej.targetGroups() : List.of(group);
                    for (String g : groups) {
                        List<ElasticJobs.Member> ms = ej.members(Optional.of(g));
                        if (ms.isEmpty()) {
                            t.row(g, "", "(no members)", "", "", "", "");
                        }
                        for (ElasticJobs.Member m : ms) {
                            t.row(g, m.membershipType(), m.targetType(), m.server(),
                                    m.database().or(m::elasticPool).orElse(""), m.refreshCredential().orElse(""),
                                    m.targetId());
                        }
                    }
                    t.print(targets.jobs.root.out());
                }
                return 0;
            }
        }

        @Command(name = "add-group", description = "Add a target group.")
        static final class AddGroup implements Callable<Integer> {
            @ParentCommand
            Targets targets;

            @Parameters(paramLabel = "GROUP")
            String group;

            @Override
            public Integer call() {
                try (Database db = targets.jobs.root.openDatabase()) {
                    UUID id = targets.jobs.open(db).addTargetGroup(group);
                    targets.jobs.root.out().println("added target group " + group + " (" + id + ")");
                }
                return 0;
            }
        }

        @Command(name = "remove-group", description = "Delete a target group.")
        static final class RemoveGroup implements Callable<Integer> {
            @ParentCommand
            Targets targets;

            @Parameters(paramLabel = "GROUP")
            String group;

            @Option(names = "--force", description = "Even when job steps use it")
            boolean force;

            @Override
            public Integer call() {
                try (Database db = targets.jobs.root.openDatabase()) {
                    targets.jobs.open(db).deleteTargetGroup(group, force);
                    targets.jobs.root.out().println("deleted target group " + group);
                }
                return 0;
            }
        }

        @Command(name = "add", description = {"Add a member: a whole server (its databases listed at run time),",
                "an elastic pool (--pool) or one database (--database); --exclude removes it whatever includes it."})
        static final class AddMember implements Callable<Integer> {
            @ParentCommand
            Targets targets;

            @Parameters(paramLabel = "GROUP")
            String group;

            @Option(names = "--server", required = true)
            String server;

            @Option(names = "--database")
            String database;

            @Option(names = "--pool")
            String pool;

            @Option(names = "--exclude")
            boolean exclude;

            @Option(names = "--refresh-credential", paramLabel = "CREDENTIAL",
                    description = "Credential that lists a server's databases")
            String refreshCredential;

            @Override
            public Integer call() {
                String type = database != null ? "PostgresDatabase" : pool != null ? "PostgresElasticPool"
                        : "PostgresServer";
                try (Database db = targets.jobs.root.openDatabase()) {
                    UUID id = targets.jobs.open(db).addMember(group, exclude ? "Exclude" : "Include", type,
                            refreshCredential, server, database, pool);
                    targets.jobs.root.out().println("added " + (exclude ? "Exclude " : "Include ") + type + " member "
                            + id + " to target group " + group);
                }
                return 0;
            }
        }

        @Command(name = "remove", description = "Remove a member (its target id is in wwi jobs targets list).")
        static final class RemoveMember implements Callable<Integer> {
            @ParentCommand
            Targets targets;

            @Parameters(index = "0", paramLabel = "GROUP")
            String group;

            @Parameters(index = "1", paramLabel = "TARGET_ID")
            UUID targetId;

            @Override
            public Integer call() {
                try (Database db = targets.jobs.root.openDatabase()) {
                    targets.jobs.open(db).deleteMember(group, targetId);
                    targets.jobs.root.out().println("removed member " + targetId + " of target group " + group);
                }
                return 0;
            }
        }

        @Command(name = "resolve", description = "The databases a target group means now, as a step would run on them.")
        static final class Resolve implements Callable<Integer> {
            @ParentCommand
            Targets targets;

            @Parameters(paramLabel = "GROUP")
            String group;

            @Override
            public Integer call() {
                try (Database db = targets.jobs.root.openDatabase()) {
                    TargetResolver.Resolution r = targets.jobs.open(db).resolve(group);
                    TextTable t = new TextTable("server", "database", "elastic pool");
                    for (Target x : r.targets()) {
                        t.row(x.server(), x.database(), x.elasticPool().orElse(""));
                    }
                    t.print(targets.jobs.root.out());
                    for (TargetResolver.ServerFailure f : r.failures()) {
                        targets.jobs.root.err().println("warning: " + f.message());
                    }
                    targets.jobs.root.out().println(r.targets().size() + " target database"
                            + (r.targets().size() == 1 ? "" : "s"));
                    return r.failures().isEmpty() ? 0 : ErrorKind.EXTERNAL.exitCode();
                }
            }
        }
    }

    // ------------------------------------------------------------------ credentials

    @Command(name = "credential", description = {"Credentials that jobs log in with (encrypted under the master key;",
            "secrets are read from standard input or an environment variable, and never printed)."},
            subcommands = {Credential.Add.class, Credential.Alter.class, Credential.Drop.class, Credential.ListAll.class,
                    Credential.MasterKey.class})
    static final class Credential implements Runnable {
        @ParentCommand
        JobsCommand jobs;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand of wwi jobs credential");
        }

        /** The secret from the named environment variable, a console prompt, or the first line of standard input. */
        static char[] readSecret(String env, String prompt) throws IOException {
            if (env != null) {
                String v = System.getenv(env);
                if (v == null || v.isEmpty()) {
                    throw new IllegalArgumentException("environment variable " + env + " is not set");
                }
                return v.toCharArray();
            }
            Console console = System.console();
            if (console != null) {
                char[] s = console.readPassword("%s: ", prompt);
                if (s != null) {
                    return s;
                }
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null || line.isEmpty()) {
                throw new IllegalArgumentException("no secret on standard input");
            }
            return line.toCharArray();
        }

        abstract static class Change implements Callable<Integer> {
            @ParentCommand
            Credential credential;

            @Parameters(paramLabel = "NAME")
            String name;

            @Option(names = "--identity", required = true, paramLabel = "ROLE", description = "The login (role name)")
            String identity;

            @Option(names = "--secret-env", paramLabel = "VAR",
                    description = "Read the secret from this environment variable (default: standard input)")
            String secretEnv;

            abstract void apply(ElasticJobs ej, char[] secret);

            abstract String verb();

            @Override
            public Integer call() throws IOException {
                char[] secret;
                try {
                    secret = readSecret(secretEnv, "secret of credential " + name);
                } catch (IllegalArgumentException e) {
                    credential.jobs.root.err().println("error: Cannot read the secret of credential " + name + ": "
                            + e.getMessage() + " (pipe it on standard input or use --secret-env VAR)");
                    return ErrorKind.USER.exitCode();
                }
                try (Database db = credential.jobs.root.openDatabase()) {
                    apply(credential.jobs.open(db), secret);
                } finally {
                    Arrays.fill(secret, '\0');
                }
                credential.jobs.root.out().println(verb() + " credential " + name + " (identity " + identity + ")");
                return 0;
            }
        }

        @Command(name = "add", description = "Add a credential: wwi jobs credential add NAME --identity ROLE < secret")
        static final class Add extends Change {
            @Override
            void apply(ElasticJobs ej, char[] secret) {
                ej.addCredential(name, identity, secret);
            }

            @Override
            String verb() {
                return "added";
            }
        }

        @Command(name = "alter", description = "Change a credential's identity and secret (e.g. to rotate it).")
        static final class Alter extends Change {
            @Override
            void apply(ElasticJobs ej, char[] secret) {
                ej.alterCredential(name, identity, secret);
            }

            @Override
            String verb() {
                return "changed";
            }
        }

        @Command(name = "drop", description = "Drop a credential that no job step or target group uses.")
        static final class Drop implements Callable<Integer> {
            @ParentCommand
            Credential credential;

            @Parameters(paramLabel = "NAME")
            String name;

            @Override
            public Integer call() {
                try (Database db = credential.jobs.root.openDatabase()) {
                    credential.jobs.open(db).dropCredential(name);
                }
                credential.jobs.root.out().println("dropped credential " + name);
                return 0;
            }
        }

        @Command(name = "list", description = "Credentials: names and identities, never secrets.")
        static final class ListAll implements Callable<Integer> {
            @ParentCommand
            Credential credential;

            @Override
            public Integer call() {
                try (Database db = credential.jobs.root.openDatabase()) {
                    TextTable t = new TextTable("credential", "identity", "created (UTC)", "updated (UTC)");
                    for (SecretStore.CredentialInfo c : credential.jobs.open(db).credentials()) {
                        t.row(c.name(), c.identity(), WHEN.format(c.createdAt()), WHEN.format(c.updatedAt()));
                    }
                    t.print(credential.jobs.root.out());
                }
                return 0;
            }
        }

        @Command(name = "master-key", description = {"Create the database master key that encrypts credentials",
                "(CREATE MASTER KEY ENCRYPTION BY PASSWORD); the password is read like a secret."})
        static final class MasterKey implements Callable<Integer> {
            @ParentCommand
            Credential credential;

            @Option(names = "--password-env", paramLabel = "VAR")
            String passwordEnv;

            @Override
            public Integer call() throws IOException {
                char[] pw;
                try {
                    pw = readSecret(passwordEnv, "master key password");
                } catch (IllegalArgumentException e) {
                    credential.jobs.root.err().println("error: Cannot read the master key password: " + e.getMessage());
                    return ErrorKind.USER.exitCode();
                }
                try (Database db = credential.jobs.root.openDatabase()) {
                    SecretStore.open(db, credential.jobs.root.config().stateDir()).createMasterKey(pw);
                } finally {
                    Arrays.fill(pw, '\0');
                }
                credential.jobs.root.out().println("created the master key (its password opens it on another machine)");
                return 0;
            }
        }
    }
}
