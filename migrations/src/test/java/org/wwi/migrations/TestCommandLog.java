package org.wwi.migrations;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.wwi.platform.Database;
import org.wwi.testkit.WwiPostgres;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(WwiPostgres.class)
class TestCommandLog {

    @Test
    void recordsRunsWithTheirStagesNewestFirst(Database db) {
        Migrations.shipped().migrate(db);
        CommandLog log = new CommandLog(db);
        long first = log.start("demo", "");
        log.finish(first, false, "broke", List.of());
        long second = log.start("demo", "--fast");
        Instant t = Instant.parse("2026-08-01T10:00:00Z");
        log.finish(second, true, "ok", List.of(
                new CommandLog.Stage("database", t, Duration.ofMillis(1200), "embedded"),
                new CommandLog.Stage("migrate", t.plusSeconds(2), Duration.ofMillis(300), "9 applied")));

        List<CommandLog.Run> runs = log.recent("demo", 10);
        assertThat(runs).extracting(CommandLog.Run::runId).containsExactly(second, first);
        assertThat(runs.get(0).outcome()).isEqualTo("succeeded");
        assertThat(runs.get(0).stages()).extracting(CommandLog.Stage::name).containsExactly("database", "migrate");
        assertThat(runs.get(0).stages().get(0).duration()).isEqualTo(Duration.ofMillis(1200));
        assertThat(runs.get(1).outcome()).isEqualTo("failed");
    }
}
