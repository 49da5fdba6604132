package org.wwi.jobs;

import org.junit.jupiter.api.Test;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.TriggerUtils;
import org.quartz.spi.OperableTrigger;

import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fire times of the Quartz trigger made for each kind of schedule: once, every N minutes,
 * hours, days, weeks or months between start and end, and cron in a time zone.
 */
class TestSchedules {
    private static final Instant FAR_END = Instant.parse("9999-12-31T23:59:59Z");
    private static final Instant START = Instant.parse("2031-01-15T03:00:00Z");

    private static ScheduleSync.Scheduled schedule(String type, int count, Instant start, Instant end, String cron,
                                                   String zone) {
        return new ScheduleSync.Scheduled(UUID.randomUUID(), "job", type, count, start, end, cron, zone,
                Instant.parse("2030-01-01T00:00:00Z"));
    }

    /** Up to {@code max} fire times of the trigger made for {@code s}. */
    private static List<Instant> fires(ScheduleSync.Scheduled s, int max) throws ParseException {
        Trigger t = ScheduleSync.trigger(s, TriggerKey.triggerKey(s.jobId().toString(), ScheduleSync.GROUP));
        return TriggerUtils.computeFireTimes((OperableTrigger) t, null, max).stream().map(Date::toInstant).toList();
    }

    private static List<Instant> at(String... instants) {
        return List.of(instants).stream().map(Instant::parse).toList();
    }

    @Test
    void onceFiresOnceAtItsStartOrAtOnceWhenTheStartHasPassed() throws ParseException {
        assertThat(fires(schedule("Once", 1, START, FAR_END, null, "UTC"), 10)).containsExactly(START);
        Instant before = Instant.now().minusSeconds(1);
        List<Instant> past = fires(schedule("Once", 1, Instant.parse("0001-01-01T00:00:00Z"), FAR_END, null, "UTC"), 10);
        assertThat(past).hasSize(1);
        assertThat(past.get(0)).isAfter(before);
    }

    @Test
    void everyNMinutesOrHoursFiresFromStartUntilBeforeEnd() throws ParseException { // the end is exclusive
        assertThat(fires(schedule("Minutes", 15, START, START.plusSeconds(3600), null, "UTC"), 10)).containsExactlyElementsOf(
                at("2031-01-15T03:00:00Z", "2031-01-15T03:15:00Z", "2031-01-15T03:30:00Z", "2031-01-15T03:45:00Z"));
        assertThat(fires(schedule("Hours", 6, START, START.plusSeconds(86_400), null, "UTC"), 10)).containsExactlyElementsOf(
                at("2031-01-15T03:00:00Z", "2031-01-15T09:00:00Z", "2031-01-15T15:00:00Z", "2031-01-15T21:00:00Z"));
    }

    @Test
    void everyNDaysWeeksOrMonthsKeepsTheWallClockTimeOfItsTimeZone() throws ParseException {
        // 04:00 in Paris is 03:00 UTC in winter and 02:00 UTC after the change to summer time (2031-03-30)
        Instant start = Instant.parse("2031-03-28T03:00:00Z");
        assertThat(fires(schedule("Days", 1, start, Instant.parse("2031-04-01T00:00:00Z"), null, "Europe/Paris"), 10))
                .containsExactlyElementsOf(at("2031-03-28T03:00:00Z", "2031-03-29T03:00:00Z", "2031-03-30T02:00:00Z",
                        "2031-03-31T02:00:00Z"));
        assertThat(fires(schedule("Days", 2, START, START.plusSeconds(6 * 86_400), null, "UTC"), 10))
                .containsExactlyElementsOf(at("2031-01-15T03:00:00Z", "2031-01-17T03:00:00Z", "2031-01-19T03:00:00Z"));
        assertThat(fires(schedule("Weeks", 1, START, Instant.parse("2031-02-06T00:00:00Z"), null, "UTC"), 10))
                .containsExactlyElementsOf(at("2031-01-15T03:00:00Z", "2031-01-22T03:00:00Z", "2031-01-29T03:00:00Z",
                        "2031-02-05T03:00:00Z"));
        assertThat(fires(schedule("Months", 2, START, Instant.parse("2031-08-01T00:00:00Z"), null, "UTC"), 10))
                .containsExactlyElementsOf(at("2031-01-15T03:00:00Z", "2031-03-15T03:00:00Z", "2031-05-15T03:00:00Z",
                        "2031-07-15T03:00:00Z"));
        assertThat(fires(schedule("Months", 1, START, FAR_END, null, "UTC"), 1000)).hasSize(1000); // no end: unbounded
    }

    @Test
    void cronFiresInItsTimeZoneBetweenStartAndEnd() throws ParseException {
        Instant start = Instant.parse("2031-03-28T00:00:00Z");
        Instant end = Instant.parse("2031-04-01T00:00:00Z");
        assertThat(fires(schedule("Cron", 1, start, end, "0 30 3 * * ?", "Europe/Paris"), 10))
                .containsExactlyElementsOf(at("2031-03-28T02:30:00Z", "2031-03-29T02:30:00Z", "2031-03-30T01:30:00Z",
                        "2031-03-31T01:30:00Z"));
        assertThat(fires(schedule("Cron", 1, start, end, "0 30 3 * * ?", "UTC"), 10))
                .containsExactlyElementsOf(at("2031-03-28T03:30:00Z", "2031-03-29T03:30:00Z", "2031-03-30T03:30:00Z",
                        "2031-03-31T03:30:00Z"));
        assertThat(fires(schedule("Cron", 1, start, end, "0 0 9 ? * MON-FRI", "America/New_York"), 10))
                .containsExactlyElementsOf(at("2031-03-28T13:00:00Z", "2031-03-31T13:00:00Z"));
    }

    @Test
    void aCronExpressionQuartzRefusesIsAParseError() {
        // six fields, so the control database lets it in; Quartz wants '?' in day-of-month or day-of-week
        assertThatThrownBy(() -> fires(schedule("Cron", 1, START, FAR_END, "* * * * * *", "UTC"), 1))
                .isInstanceOf(ParseException.class).hasMessageContaining("day-of-week");
        assertThat(ScheduleSync.validCron("* * * * * *")).isFalse();
        assertThat(ScheduleSync.validCron("0 0 3 * * ?")).isTrue();
    }
}
