package org.wwi.elt;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How a run is asked for.
 *
 * @param trigger    who asked
 * @param window     the run's window: restricts the partitions loads read (their window_column) and is
 *                   {@code ${window_start}}/{@code ${window_end}} in SQL; unbounded by default
 * @param fireTime   the scheduled fire time of a scheduled or recovered run
 * @param parameters values that override the pipeline's parameters for this run
 */
public record RunOptions(Trigger trigger, Window window, Optional<Instant> fireTime, Map<String, String> parameters) {

    /** Who asked for a run. */
    public enum Trigger {
        MANUAL, SCHEDULE, RECOVERY, BACKFILL;

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A half-open time window {@code [start, end)}; an empty bound is unbounded.
     */
    public record Window(Optional<Instant> start, Optional<Instant> end) {
        public Window {
            requireNonNull(start, "start is null");
            requireNonNull(end, "end is null");
            if (start.isPresent() && end.isPresent() && !start.get().isBefore(end.get())) {
                throw new EltException(EltErrorCode.REQUEST_INVALID, "Cannot use window " + start.get() + " to "
                        + end.get() + ": it is empty (the start must be before the end)");
            }
        }

        public static Window unbounded() {
            return new Window(Optional.empty(), Optional.empty());
        }

        /** Whole days in UTC: {@code from} 00:00 to the day after {@code to} 00:00 (both days included). */
        public static Window days(LocalDate from, LocalDate to) {
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
            if (to.isBefore(from)) {
                throw new EltException(EltErrorCode.REQUEST_INVALID, "Cannot backfill from " + from + " to " + to
                        + ": --to is before --from");
            }
            return new Window(Optional.of(from.atStartOfDay(ZoneOffset.UTC).toInstant()),
                    Optional.of(to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        }

        boolean bounded() {
            return start.isPresent() || end.isPresent();
        }

        boolean contains(Instant t) {
            return start.map(s -> !t.isBefore(s)).orElse(true) && end.map(t::isBefore).orElse(true);
        }

        String startText() {
            return start.map(Instant::toString).orElse("-infinity");
        }

        String endText() {
            return end.map(Instant::toString).orElse("infinity");
        }

        public String describe() {
            return bounded() ? "[" + startText() + ", " + endText() + ")" : "unbounded";
        }
    }

    public RunOptions {
        requireNonNull(trigger, "trigger is null");
        requireNonNull(window, "window is null");
        requireNonNull(fireTime, "fireTime is null");
        parameters = Map.copyOf(requireNonNull(parameters, "parameters is null"));
    }

    /** A manual run over everything new. */
    public static RunOptions manual() {
        return new RunOptions(Trigger.MANUAL, Window.unbounded(), Optional.empty(), Map.of());
    }

    /** A manual backfill of whole days. */
    public static RunOptions backfill(LocalDate from, LocalDate to) {
        return new RunOptions(Trigger.BACKFILL, Window.days(from, to), Optional.empty(), Map.of());
    }

    /** A run for a scheduled fire time (or its recovery by another agent). */
    public static RunOptions scheduled(Instant fireTime, boolean recovering) {
        return new RunOptions(recovering ? Trigger.RECOVERY : Trigger.SCHEDULE, Window.unbounded(),
                Optional.of(requireNonNull(fireTime, "fireTime is null")), Map.of());
    }

    public RunOptions withParameters(Map<String, String> values) {
        return new RunOptions(trigger, window, fireTime, values);
    }
}
