package org.wwi.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The declarative jobs of a project: {@code elastic-jobs/jobs/*.yaml}, one job per file, synced
 * into the control database by {@code wwi jobs sync} ({@link #sync}). A sync is idempotent: an
 * unchanged file changes nothing; an edited one updates the job in one transaction, which bumps
 * its version once. Jobs made otherwise (SQL, CLI) are left alone. The format is in
 * docs/ELASTIC-JOBS.md.
 */
public final class JobFiles {
    static final String FOLDER = "elastic-jobs/jobs";
    static final String CLASSPATH_FOLDER = "wwi/elastic-jobs/jobs";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private JobFiles() {
    }

    /** A job read from a file. */
    public record Loaded(String source, JobDefinition job) {
    }

    /** What a sync did to one job. */
    public record Synced(String job, String source, ElasticJobs.DefineOutcome outcome, int version) {
    }

    record FileDto(String name, String description, Boolean enabled, ScheduleDto schedule, List<StepDto> steps) {
    }

    record ScheduleDto(String every, String cron, String timeZone, Instant start, Instant end) {
    }

    record StepDto(String name, String targetGroup, String credential, String sql, String migrations,
                   List<String> credentialParameters, Integer retryAttempts, Integer initialRetryIntervalSeconds,
                   Integer maximumRetryIntervalSeconds, Double retryIntervalBackoffMultiplier,
                   Integer stepTimeoutSeconds, Integer maxParallelism, OutputDto output) {
    }

    record OutputDto(String server, String database, String schema, String table, String credential) {
    }

    /** The job files of a project: its {@code elastic-jobs/jobs} folder, else those shipped in the jar. */
    public static List<Loaded> readProject(Path home) {
        Path dir = home.resolve(FOLDER);
        if (Files.isDirectory(dir)) {
            return read(dir, home);
        }
        return readShipped();
    }

    /** The WWI jobs shipped in the jar. */
    public static List<Loaded> readShipped() {
        URL url = JobFiles.class.getClassLoader().getResource(CLASSPATH_FOLDER);
        if (url == null) {
            return List.of();
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                FileSystem fs;
                try {
                    fs = FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                }
                return read(fs.provider().getPath(uri), null);
            }
            return read(Path.of(uri), null);
        } catch (URISyntaxException | IOException e) {
            throw new ElasticJobsException(JobsErrorCode.IO_FAILED, "Cannot read the shipped job files at " + url
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The {@code *.yaml} files of {@code dir}, sorted by name.
     *
     * @param home the project folder that migration folders are made relative to, or null for files in the jar
     */
    static List<Loaded> read(Path dir, Path home) {
        List<Loaded> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".yaml")
                    || p.getFileName().toString().endsWith(".yml")).sorted().toList()) {
                out.add(new Loaded(source(f, home), parse(f, home)));
            }
        } catch (IOException e) {
            throw new ElasticJobsException(JobsErrorCode.IO_FAILED, "Cannot list job files in " + dir + ": "
                    + e.getMessage(), e);
        }
        List<String> names = out.stream().map(l -> l.job().name()).toList();
        for (Loaded l : out) {
            if (names.indexOf(l.job().name()) != names.lastIndexOf(l.job().name())) {
                throw new ElasticJobsException(JobsErrorCode.JOB_FILE_INVALID, "Cannot read job file " + l.source()
                        + ": another file defines job " + l.job().name() + " too (job names are unique)");
            }
        }
        return out;
    }

    private static String source(Path f, Path home) {
        return home == null ? "classpath:" + CLASSPATH_FOLDER + "/" + f.getFileName()
                : home.toAbsolutePath().normalize().relativize(f.toAbsolutePath().normalize()).toString()
                .replace('\\', '/');
    }

    static JobDefinition parse(Path file, Path home) {
        String where = source(file, home);
        FileDto dto;
        String text = "";
        try {
            text = Files.readString(file);
            dto = YAML.readValue(text, FileDto.class);
        } catch (UnrecognizedPropertyException e) {
            throw invalid(where, "unknown key '" + e.getPropertyName() + "' at line "
                    + keyLine(text, e.getPropertyName(), e.getLocation().getLineNr())
                    + " (known keys: " + e.getKnownPropertyIds() + ")");
        } catch (JsonProcessingException e) {
            throw invalid(where, e.getOriginalMessage() + (e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr()));
        } catch (IOException e) {
            throw new ElasticJobsException(JobsErrorCode.IO_FAILED, "Cannot read job file " + where + ": "
                    + e.getMessage(), e);
        }
        if (dto == null) {
            throw invalid(where, "the file is empty");
        }
        String fileName = file.getFileName().toString();
        String name = dto.name() != null ? dto.name() : fileName.substring(0, fileName.lastIndexOf('.'));
        if (dto.steps() == null || dto.steps().isEmpty()) {
            throw invalid(where, "job " + name + " has no steps (add a steps: list)");
        }
        List<JobDefinition.Step> steps = new ArrayList<>();
        for (int i = 0; i < dto.steps().size(); i++) {
            steps.add(step(dto.steps().get(i), i + 1, where, file, home));
        }
        return new JobDefinition(name, dto.description() == null ? "" : dto.description().strip(),
                dto.enabled() != null && dto.enabled(), schedule(dto.schedule(), where), steps);
    }

    /** The line of {@code key:} at or before the line where the parser noticed it. */
    private static int keyLine(String text, String key, int reported) {
        List<String> lines = text.lines().toList();
        for (int i = Math.min(reported, lines.size()); i >= 1; i--) {
            String l = lines.get(i - 1).strip();
            if (l.startsWith(key + ":") || l.startsWith("- " + key + ":")) {
                return i;
            }
        }
        return reported;
    }

    private static JobDefinition.Schedule schedule(ScheduleDto s, String where) {
        if (s == null) {
            return JobDefinition.Schedule.once();
        }
        String tz = s.timeZone() == null ? "UTC" : s.timeZone();
        if (s.every() != null && s.cron() != null) {
            throw invalid(where, "schedule has both every and cron (choose one)");
        }
        String type = "Once";
        int count = 1;
        if (s.every() != null) {
            String[] parts = s.every().strip().split("\\s+");
            try {
                count = parts.length == 2 ? Integer.parseInt(parts[0]) : -1;
            } catch (NumberFormatException e) {
                count = -1;
            }
            String unit = parts.length == 2 ? parts[1].toLowerCase(Locale.ROOT) : "";
            type = switch (unit.endsWith("s") ? unit : unit + "s") {
                case "minutes" -> "Minutes";
                case "hours" -> "Hours";
                case "days" -> "Days";
                case "weeks" -> "Weeks";
                case "months" -> "Months";
                default -> null;
            };
            if (type == null || count < 1) {
                throw invalid(where, "schedule every '" + s.every() + "' is not 'N minutes|hours|days|weeks|months'");
            }
        }
        if (s.cron() != null) {
            if (!ScheduleSync.validCron(s.cron())) {
                throw invalid(where, "schedule cron '" + s.cron() + "' is not a Quartz cron expression (seconds "
                        + "minutes hours day-of-month month day-of-week, e.g. '0 0 3 * * ?')");
            }
            type = "Cron";
        }
        return new JobDefinition.Schedule(type, count, Optional.ofNullable(s.start()), Optional.ofNullable(s.end()),
                Optional.ofNullable(s.cron()), tz);
    }

    private static JobDefinition.Step step(StepDto s, int n, String where, Path file, Path home) {
        String name = s.name() == null ? "step" + n : s.name();
        String at = "step " + n + " (" + name + ")";
        if (s.targetGroup() == null) {
            throw invalid(where, at + " has no target_group");
        }
        if ((s.sql() == null) == (s.migrations() == null)) {
            throw invalid(where, at + " needs exactly one of sql (a script) and migrations (a folder of Flyway "
                    + "migrations relative to this file)");
        }
        String type = s.sql() != null ? "Sql" : "FlywayMigrations";
        String command = s.sql() != null ? s.sql().strip() : migrationsLocation(s.migrations(), where, file, home, at);
        Optional<JobDefinition.Output> output = Optional.empty();
        if (s.output() != null) {
            OutputDto o = s.output();
            if (o.server() == null || o.database() == null || o.table() == null) {
                throw invalid(where, at + " output needs server, database and table");
            }
            output = Optional.of(new JobDefinition.Output(o.server(), o.database(),
                    o.schema() == null ? "public" : o.schema(), o.table(), Optional.ofNullable(o.credential())));
        }
        double multiplier = s.retryIntervalBackoffMultiplier() == null ? 2.0
                : Math.round(s.retryIntervalBackoffMultiplier() * 1000) / 1000.0;
        return new JobDefinition.Step(name, type, command, s.targetGroup(), Optional.ofNullable(s.credential()),
                s.credentialParameters() == null ? List.of() : s.credentialParameters(),
                orDefault(s.retryAttempts(), 10), orDefault(s.initialRetryIntervalSeconds(), 1),
                orDefault(s.maximumRetryIntervalSeconds(), 120), multiplier, orDefault(s.stepTimeoutSeconds(), 43200),
                Optional.ofNullable(s.maxParallelism()), output);
    }

    private static String migrationsLocation(String folder, String where, Path file, Path home, String at) {
        Path dir = file.getParent().resolve(folder).normalize();
        if (!Files.isDirectory(dir)) {
            throw invalid(where, at + " migrations folder " + folder + " does not exist next to the file");
        }
        if (home == null) {
            return "classpath:" + CLASSPATH_FOLDER + "/" + folder.replace('\\', '/');
        }
        return home.toAbsolutePath().normalize().relativize(dir.toAbsolutePath()).toString().replace('\\', '/');
    }

    private static int orDefault(Integer v, int d) {
        return v == null ? d : v;
    }

    private static ElasticJobsException invalid(String where, String what) {
        return new ElasticJobsException(JobsErrorCode.JOB_FILE_INVALID, "Cannot read job file " + where + ": " + what);
    }

    /** Defines every job of the project's files in the control database. */
    public static List<Synced> sync(ElasticJobs jobs, List<Loaded> files) {
        List<Synced> out = new ArrayList<>();
        for (Loaded l : files) {
            ElasticJobs.DefineOutcome o = jobs.define(l.job(), Optional.of(l.source()));
            out.add(new Synced(l.job().name(), l.source(), o, jobs.jobVersion(l.job().name()).orElse(0)));
        }
        return out;
    }
}
