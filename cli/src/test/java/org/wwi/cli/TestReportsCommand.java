package org.wwi.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.semantic.bench.FactFixture;
import org.wwi.testkit.WwiPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code wwi reports list|render|serve --check} on the shipped dashboards and a generated warehouse. */
@ExtendWith(WwiPostgres.class)
class TestReportsCommand {
    private static final Path ROOT = Path.of(System.getProperty("wwi.test.root", "..")).toAbsolutePath().normalize();
    private static String url;

    @BeforeAll
    static void fill(Database db) {
        url = db.jdbcUrl();
        Migrations.forProject(ROOT).migrate(db);
        FactFixture.generate(db, new FactFixture.Spec(10_000, 200, 50, LocalDate.of(2026, 1, 1), 90, 3), Progress.none());
    }

    private static Run wwi(String... args) {
        return Run.in(ROOT, url, args);
    }

    @Test
    void listsTheShippedDashboards() {
        Run r = wwi("reports", "list");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("sales_overview", "customer_behaviour", "products", "recommendations",
                "elastic_jobs", "weblogs_daily");
    }

    @Test
    void rendersPagesAndCsvsAsAUserOfServeYaml(@TempDir Path out) throws Exception {
        Run r = wwi("reports", "render", "--out", out.toString(), "--dashboard", "sales_overview",
                "--filter", "channel=Web", "--user", "emea_manager");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("sales_overview").contains("Open file:");
        assertThat(out.resolve("sales_overview.html")).isRegularFile();
        String csv = Files.readString(out.resolve("sales_overview").resolve("channel_month_table.csv"));
        assertThat(csv.lines().skip(1)).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("Web,"));
        assertThat(Files.readString(out.resolve("sales_overview.html")).contains("for user emea_manager (role "
                + "regional_manager)")).isTrue();
    }

    @Test
    void aRoleGetsOnlyItsDashboards(@TempDir Path out) throws Exception {
        Run r = wwi("reports", "render", "--out", out.toString(), "--user", "marketing");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Not rendered, the role may not see them: elastic_jobs, products, "
                + "recommendations, sales_overview");
        assertThat(out.resolve("customer_behaviour.html")).isRegularFile();
        assertThat(out.resolve("sales_overview.html")).doesNotExist();
        assertThat(Files.readString(out.resolve("index.html"))).contains("customer_behaviour.html")
                .doesNotContain("sales_overview.html");
        Run named = wwi("reports", "render", "--out", out.toString(), "--user", "marketing", "--dashboard",
                "sales_overview");
        assertThat(named.exitCode()).isEqualTo(1);
        assertThat(named.err()).contains("Cannot open dashboard sales_overview: user marketing (role marketing) may "
                + "not see it");
    }

    @Test
    void badInputIsOneClearError(@TempDir Path out) {
        Run filter = wwi("reports", "render", "--out", out.toString(), "--filter", "colour=red");
        assertThat(filter.exitCode()).isEqualTo(3);
        assertThat(filter.err()).contains("Cannot use filter 'colour' on dashboard");
        Run unknown = wwi("reports", "render", "--out", out.toString(), "--dashboard", "nope");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("Cannot find dashboard 'nope'");
        Run serve = wwi("reports", "serve", "--port", "0", "--check");
        assertThat(serve.exitCode()).as(serve.err()).isZero();
        assertThat(serve.out()).contains("Serving the dashboards at http://");
    }
}
