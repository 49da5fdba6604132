package org.wwi.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.platform.Progress;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class TestProgress {
    @TempDir
    Path folder;

    @Test
    void advancesByTheEventsWrittenAndLeavesClosingToTheCaller() {
        CountingProgress progress = new CountingProgress();
        WeblogSpec spec = new WeblogSpec(folder.resolve("lake"), 25_001, 3, TestingSampleData.START, 3, 100, 20);
        WeblogGenerator.generate(spec, progress);
        assertThat(progress.done.get()).isEqualTo(25_001);
        assertThat(progress.note).startsWith("weblogs/TransactionDay=2026-08-0");
        assertThat(progress.closed).isFalse();
    }

    private static final class CountingProgress extends Progress {
        final AtomicLong done = new AtomicLong();
        volatile String note = "";
        volatile boolean closed;

        @Override
        public void advance(long delta) {
            done.addAndGet(delta);
        }

        @Override
        public void note(String note) {
            this.note = note;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
