package org.wwi.elt;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A pipeline as read from its file ({@code elt-jobs/pipelines/NAME.yaml}; format in docs/ELT.md):
 * a schedule, parameters and steps in dependency order.
 *
 * @param name        the pipeline's name (the file's base name)
 * @param description what it does, for {@code wwi elt list}
 * @param file        where it was read from, as shown in messages
 * @param hash        SHA-256 of the file and the SQL files it uses (recorded with each run)
 * @param schedule    when the agent runs it; empty for manual runs only
 * @param misfire     what the agent does with a fire time it missed (agent down, run too long)
 * @param parameters  values of {@code ${name}} placeholders in its SQL
 * @param steps       its steps, ordered so that each comes after the steps it depends on
 */
public record Pipeline(String name, String description, String file, String hash, Optional<Schedule> schedule,
                       Misfire misfire, Map<String, String> parameters, List<Step> steps) {

    /** What to do with a missed fire time. */
    public enum Misfire {
        /** Run once as soon as possible, however many fire times were missed. */
        RUN_ONCE,
        /** Skip missed fire times; run at the next one. */
        SKIP
    }

    /**
     * When the agent runs a pipeline: a Quartz cron expression in a time zone (seconds first,
     * e.g. {@code 0 15 2 * * ?} = 02:15 every day), or every fixed interval.
     */
    public record Schedule(Optional<String> cron, ZoneId timeZone, Optional<Duration> every) {
        public Schedule {
            requireNonNull(cron, "cron is null");
            requireNonNull(timeZone, "timeZone is null");
            requireNonNull(every, "every is null");
            if (cron.isPresent() == every.isPresent()) {
                throw new IllegalArgumentException("a schedule has either a cron expression or an interval");
            }
        }

        /** {@code cron 0 15 2 * * ? Europe/London} or {@code every 5 minutes}. */
        public String describe() {
            if (cron.isPresent()) {
                return "cron " + cron.get() + " " + timeZone.getId();
            }
            Duration d = every.orElseThrow();
            if (d.toSeconds() % 3600 == 0) {
                return "every " + d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
            }
            if (d.toSeconds() % 60 == 0) {
                return "every " + d.toMinutes() + (d.toMinutes() == 1 ? " minute" : " minutes");
            }
            return "every " + d.toSeconds() + (d.toSeconds() == 1 ? " second" : " seconds");
        }
    }

    public Pipeline {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(file, "file is null");
        requireNonNull(hash, "hash is null");
        requireNonNull(schedule, "schedule is null");
        requireNonNull(misfire, "misfire is null");
        parameters = Map.copyOf(requireNonNull(parameters, "parameters is null"));
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("pipeline " + name + " has no steps");
        }
    }

    /** The step called {@code stepName}. */
    public Optional<Step> step(String stepName) {
        return steps.stream().filter(s -> s.name().equals(stepName)).findFirst();
    }

    /** The staging tables its load steps fill. */
    List<String> stagingTables() {
        return steps.stream().filter(s -> s instanceof Steps.Load).map(s -> ((Steps.Load) s).into()).distinct().toList();
    }

    boolean hasLoads() {
        return steps.stream().anyMatch(s -> s instanceof Steps.Load);
    }
}
