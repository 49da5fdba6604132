package org.wwi.sample;

/** One part file of a TransactionDay: its own random stream, so parts can be written in parallel. */
record PartPlan(DayPlan day, int part, long rows) {
    /** Unique over the generation; indexes the part's random streams. */
    long streamIndex() {
        return (long) day.index() * WeblogPlan.MAX_PARTS + part;
    }
}
