package org.wwi.sample;

import java.util.ArrayList;
import java.util.List;

/**
 * How the events are spread: rows per TransactionDay (evenly-ish, weekends busier, summing to
 * exactly the spec's rows) and part files per day (one per {@value #ROWS_PER_PART} rows, 1 to
 * {@value #MAX_PARTS}).
 */
final class WeblogPlan {
    static final long ROWS_PER_PART = 250_000;
    static final int MAX_PARTS = 4;
    /** The INT96 variant holds this many first days. */
    static final int INT96_DAYS = 2;

    private final List<DayPlan> days;
    private final List<PartPlan> parts;

    private WeblogPlan(List<DayPlan> days) {
        this.days = List.copyOf(days);
        List<PartPlan> all = new ArrayList<>();
        for (DayPlan day : this.days) {
            long[] rows = Allocation.even(day.rows(), day.parts());
            for (int part = 0; part < day.parts(); part++) {
                all.add(new PartPlan(day, part, rows[part]));
            }
        }
        this.parts = List.copyOf(all);
    }

    static WeblogPlan of(WeblogSpec spec) {
        double[] weights = Draw.dayWeights(spec, Seeds.random(spec.seed(), "weblog-days", 0));
        long[] rows = Allocation.spread(spec.rows(), weights);
        List<DayPlan> days = new ArrayList<>();
        for (int i = 0; i < spec.days(); i++) {
            days.add(new DayPlan(i, spec.startDate().plusDays(i), rows[i], partsFor(rows[i])));
        }
        return new WeblogPlan(days);
    }

    static int partsFor(long rows) {
        long parts = (rows + ROWS_PER_PART - 1) / ROWS_PER_PART;
        return (int) Math.max(1, Math.min(MAX_PARTS, parts));
    }

    List<DayPlan> days() {
        return days;
    }

    /** All parts, day by day: the order of the rows in {@code raw/weblog.txt}. */
    List<PartPlan> parts() {
        return parts;
    }

    static boolean inInt96Variant(DayPlan day) {
        return day.index() < INT96_DAYS;
    }
}
