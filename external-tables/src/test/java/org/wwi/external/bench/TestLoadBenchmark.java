package org.wwi.external.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.platform.Database;
import org.wwi.testkit.WwiPostgres;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The load benchmark's code path on a few rows: every way loads every row; figures are printed, not checked. */
@ExtendWith(WwiPostgres.class)
class TestLoadBenchmark {
    @Test
    void everyWayLoadsEveryRowAndFootersCountThemAll(Database db, @TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        LoadBenchmark.Report r = LoadBenchmark.run(db, new LoadBenchmark.Spec(3_000, 6, dir, 2, false), lines::add);
        assertThat(r.files()).isEqualTo(6);
        assertThat(r.countedRows()).isEqualTo(3_000);
        int ways = r.psqlMissing().isPresent() ? 3 : 4;
        assertThat(r.loads()).hasSize(ways).allSatisfy(load -> {
            assertThat(load.rows()).isEqualTo(3_000);
            assertThat(load.runs()).hasSize(2);
            assertThat(load.seconds()).isPositive();
        });
        assertThat(r.ratio("a", "b")).isPositive();
        assertThat(r.peakHeapBytesDuringA()).isPositive();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("warm-up on "));
    }

    @Test
    void medianOfRuns() {
        assertThat(LoadBenchmark.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(LoadBenchmark.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    }
}
