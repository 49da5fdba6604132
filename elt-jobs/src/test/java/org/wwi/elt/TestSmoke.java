package org.wwi.elt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.platform.Database;
import org.wwi.testkit.WwiPostgres;

import java.nio.file.Path;

@ExtendWith(WwiPostgres.class)
class TestSmoke {
    @Test
    void runsTheFourPipelines(Database db, @TempDir Path tmp) {
        Path lake = TestingWarehouse.generateLake(tmp.resolve("lake"), 20_000, 5);
        TestingWarehouse w = TestingWarehouse.prepare(db, tmp, lake);
        try (Elt elt = w.elt()) {
            for (String p : java.util.List.of("weblogs_daily", "raw_weblog_cleanup", "recommendations", "chat_transcripts", "weblogs_daily")) {
                RunResult r = elt.run(p, RunOptions.manual(), RunListener.none());
                System.out.println(p + " " + r.status() + " " + r.duration() + " " + r.message().orElse(""));
                r.steps().forEach(s -> System.out.println("  " + s));
            }
        }
    }
}
