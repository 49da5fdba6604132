package org.wwi.sample;

import java.time.LocalDate;

/** One TransactionDay of the web logs: its rows and into how many part files they go. */
record DayPlan(int index, LocalDate date, long rows, int parts) {
    /** The Hive partition folder name, {@code TransactionDay=yyyy-MM-dd}. */
    String folderName() {
        return "TransactionDay=" + date;
    }
}
