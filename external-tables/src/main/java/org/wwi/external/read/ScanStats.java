package org.wwi.external.read;

import java.util.concurrent.atomic.LongAdder;

/** What scans read and skipped, for EXPLAIN-style reports and tests. Thread-safe counters. */
public final class ScanStats {
    public final LongAdder files = new LongAdder();
    public final LongAdder rowGroups = new LongAdder();
    public final LongAdder rowGroupsSkipped = new LongAdder();
    public final LongAdder rows = new LongAdder();
    public final LongAdder footerOnlyFiles = new LongAdder();

    @Override
    public String toString() {
        return "files=" + files.sum() + ", rowGroups=" + rowGroups.sum() + ", rowGroupsSkipped="
                + rowGroupsSkipped.sum() + ", rows=" + rows.sum() + ", footerOnlyFiles=" + footerOnlyFiles.sum();
    }
}
