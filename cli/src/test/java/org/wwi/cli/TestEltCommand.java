package org.wwi.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.control.ServiceKey;
import org.wwi.external.catalog.DdlMigrations;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.sample.WeblogGenerator;
import org.wwi.sample.WeblogSpec;
import org.wwi.testkit.TestServer;
import org.wwi.testkit.WwiPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code wwi elt list | run | history | show} on a small generated lake. */
@ExtendWith(WwiPostgres.class)
class TestEltCommand {
    private static final Path ROOT = Path.of(System.getProperty("wwi.test.root", "..")).toAbsolutePath().normalize();

    @Test
    void runsShowsAndListsPipelines(TestServer server, @TempDir Path project) throws IOException {
        Database db = server.createDatabase("cli_elt");
        for (String folder : new String[] {"migrations/sql", "external-tables/ddl", "elt-jobs/pipelines"}) {
            Files.createDirectories(project.resolve(folder).getParent());
            Files.createSymbolicLink(project.resolve(folder), ROOT.resolve(folder));
        }
        Path lake = project.resolve(".wwi/lake");
        WeblogGenerator.generate(new WeblogSpec(lake, 4_000, 42, LocalDate.of(2026, 8, 1), 2, 200, 40), Progress.none());
        Migrations.forProject(project).migrate(db);
        DdlMigrations.fromFolder(project.resolve("external-tables/ddl"), DdlMigrations.placeholders(project, lake,
                        n -> n.equals(DdlMigrations.MASTER_KEY_PASSWORD_ENV) ? "cli-elt-test-password" : null),
                ServiceKey.file(project.resolve(".wwi/service.key"))).migrate(db);
        String[] base = {"--project", project.toString(), "--db", db.jdbcUrl()};

        Run list = Run.of(concat(base, "elt", "list", "--steps"));
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("weblogs_daily", "cron 0 15 2 * * ? Europe/London", "run_once",
                "chat_transcripts", "every 15 minutes", "skip", "load_weblogs", "ext.weblogs -> stg.weblog");

        Run run = Run.of(concat(base, "elt", "run", "weblogs_daily"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("run 1 of weblogs_daily (manual, window unbounded)", "load_weblogs",
                "fact_web_event", "run 1 succeeded in", "4,640 rows loaded")
                .containsPattern("load_weblogs +load +succeeded +2 files, 4,000 rows");

        Run again = Run.of(concat(base, "elt", "run", "weblogs_daily"));
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("run 2 succeeded", "0 files and 0 rows loaded", "no new data since its last run");

        Run backfill = Run.of(concat(base, "elt", "run", "weblogs_daily", "--from", "2026-08-01", "--to", "2026-08-01"));
        assertThat(backfill.out()).contains("run 3 of weblogs_daily (backfill, window [2026-08-01T00:00:00Z, "
                + "2026-08-02T00:00:00Z))");

        Run history = Run.of(concat(base, "elt", "history", "weblogs_daily"));
        assertThat(history.exitCode()).isZero();
        assertThat(history.out()).contains("pipeline", "manual", "backfill", "succeeded", "4,640");

        Run show = Run.of(concat(base, "elt", "show", "1"));
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("run 1 of weblogs_daily: succeeded (manual)", "fact_web_event",
                "TransactionDay=2026-08-01", "lineage: step", "external_table", "ext.weblogs", "dw.fact_web_event",
                "not_null(dw.fact_web_event.customer_key,product_key,date_key,channel_key)");

        Run missing = Run.of(concat(base, "elt", "run", "nope"));
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err().strip()).startsWith("error: Cannot find pipeline nope (the pipelines are: ");

        Run noRun = Run.of(concat(base, "elt", "show", "999"));
        assertThat(noRun.exitCode()).isEqualTo(1);
        assertThat(noRun.err()).contains("Cannot show run 999: there is no such run");

        Run half = Run.of(concat(base, "elt", "run", "weblogs_daily", "--from", "2026-08-01"));
        assertThat(half.exitCode()).isEqualTo(2);
        assertThat(half.err()).contains("--from and --to go together");

        Run cleanup = Run.of(concat(base, "elt", "run", "raw_weblog_cleanup"));
        assertThat(cleanup.exitCode()).as(cleanup.err()).isZero();
        Run rejects = Run.of(concat(base, "elt", "show", "4"));
        assertThat(rejects.out()).contains("rejected rows (elt.reject where run_id = 4)", "TransactionDate");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
