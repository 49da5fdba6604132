package org.wwi.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A job as written in {@code elastic-jobs/jobs/*.yaml}, read back from the control database, or
 * given to {@link ElasticJobs#define}: the same shape as Azure's sp_add_job + sp_add_jobstep.
 */
public record JobDefinition(String name, String description, boolean enabled, Schedule schedule,
                            List<Step> steps) {
    public JobDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(schedule, "schedule is null");
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
    }

    /** When a job starts by itself: once (or on demand only), every N units, or a cron expression. */
    public record Schedule(String intervalType, int intervalCount, Optional<Instant> start, Optional<Instant> end,
                           Optional<String> cron, String timeZone) {
        public static final Instant DEFAULT_START = Instant.parse("0001-01-01T00:00:00Z");
        public static final Instant DEFAULT_END = Instant.parse("9999-12-31T23:59:59Z");

        public Schedule {
            requireNonNull(intervalType, "intervalType is null");
            requireNonNull(start, "start is null");
            requireNonNull(end, "end is null");
            requireNonNull(cron, "cron is null");
            requireNonNull(timeZone, "timeZone is null");
            start = start.filter(s -> !s.equals(DEFAULT_START));
            end = end.filter(e -> !e.equals(DEFAULT_END));
        }

        public static Schedule once() {
            return new Schedule("Once", 1, Optional.empty(), Optional.empty(), Optional.empty(), "UTC");
        }

        /** "once", "every 15 Minutes", "cron 0 0 3 * * ? (Europe/London)", with start and end when set. */
        public String describe() {
            String s = switch (intervalType) {
                case "Once" -> "once";
                case "Cron" -> "cron " + cron.orElse("") + " (" + timeZone + ")";
                default -> "every " + intervalCount + " " + intervalType + (timeZone.equals("UTC") ? "" : " (" + timeZone + ")");
            };
            return s + start.map(t -> " from " + t).orElse("") + end.map(t -> " until " + t).orElse("");
        }
    }

    /** A job step (Azure's sp_add_jobstep parameters). */
    public record Step(String name, String commandType, String command, String targetGroup,
                       Optional<String> credential, List<String> credentialParameters, int retryAttempts,
                       int initialRetryIntervalSeconds, int maximumRetryIntervalSeconds,
                       double retryIntervalBackoffMultiplier, int stepTimeoutSeconds,
                       Optional<Integer> maxParallelism, Optional<Output> output) {
        public Step {
            requireNonNull(name, "name is null");
            requireNonNull(commandType, "commandType is null");
            requireNonNull(command, "command is null");
            requireNonNull(targetGroup, "targetGroup is null");
            requireNonNull(credential, "credential is null");
            credentialParameters = List.copyOf(requireNonNull(credentialParameters, "credentialParameters is null"));
            requireNonNull(maxParallelism, "maxParallelism is null");
            requireNonNull(output, "output is null");
        }

        /** A SQL step with Azure's defaults: 10 retries from 1 s to 120 s (x2), 12 h time-out. */
        public static Step sql(String name, String targetGroup, String command) {
            return new Step(name, "Sql", command, targetGroup, Optional.empty(), List.of(), 10, 1, 120, 2.0, 43200,
                    Optional.empty(), Optional.empty());
        }

        public Step withCredential(String credentialName) {
            return new Step(name, commandType, command, targetGroup, Optional.ofNullable(credentialName),
                    credentialParameters, retryAttempts, initialRetryIntervalSeconds, maximumRetryIntervalSeconds,
                    retryIntervalBackoffMultiplier, stepTimeoutSeconds, maxParallelism, output);
        }

        public Step withRetries(int attempts, int initialSeconds, int maximumSeconds, double multiplier) {
            return new Step(name, commandType, command, targetGroup, credential, credentialParameters, attempts,
                    initialSeconds, maximumSeconds, multiplier, stepTimeoutSeconds, maxParallelism, output);
        }

        public Step withTimeoutSeconds(int seconds) {
            return new Step(name, commandType, command, targetGroup, credential, credentialParameters, retryAttempts,
                    initialRetryIntervalSeconds, maximumRetryIntervalSeconds, retryIntervalBackoffMultiplier, seconds,
                    maxParallelism, output);
        }

        public Step withMaxParallelism(Integer n) {
            return new Step(name, commandType, command, targetGroup, credential, credentialParameters, retryAttempts,
                    initialRetryIntervalSeconds, maximumRetryIntervalSeconds, retryIntervalBackoffMultiplier,
                    stepTimeoutSeconds, Optional.ofNullable(n), output);
        }

        public Step withOutput(Output o) {
            return new Step(name, commandType, command, targetGroup, credential, credentialParameters, retryAttempts,
                    initialRetryIntervalSeconds, maximumRetryIntervalSeconds, retryIntervalBackoffMultiplier,
                    stepTimeoutSeconds, maxParallelism, Optional.ofNullable(o));
        }

        public Step withCredentialParameters(List<String> names) {
            return new Step(name, commandType, command, targetGroup, credential, names, retryAttempts,
                    initialRetryIntervalSeconds, maximumRetryIntervalSeconds, retryIntervalBackoffMultiplier,
                    stepTimeoutSeconds, maxParallelism, output);
        }
    }

    /** Where a step's first result set from each target is appended. */
    public record Output(String server, String database, String schema, String table, Optional<String> credential) {
        public Output {
            requireNonNull(server, "server is null");
            requireNonNull(database, "database is null");
            requireNonNull(schema, "schema is null");
            requireNonNull(table, "table is null");
            requireNonNull(credential, "credential is null");
        }

        public String describe() {
            return server + "/" + database + "." + schema + "." + table;
        }
    }
}
