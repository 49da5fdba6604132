package org.wwi.reports;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.platform.Database;
import org.wwi.semantic.PasswordHash;
import org.wwi.semantic.SemanticLayer;
import org.wwi.semantic.ServeConfig;
import org.wwi.testkit.WwiPostgres;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wwi.reports.ReportsFixture.direct;

@ExtendWith(WwiPostgres.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestServeAndRefresh {
    private Database db;
    private SemanticLayer layer;
    private ReportServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void setUp(Database database, @TempDir Path state) {
        db = database;
        ReportsFixture.fill(db, state);
        layer = ReportsFixture.layer(db);
        String hash = PasswordHash.hash("s3cret".toCharArray());
        ServeConfig config = ServeConfig.defaults().withUsers(Map.of(
                "ann", new ServeConfig.User("ann", hash, "analyst", Map.of()),
                "eve", new ServeConfig.User("eve", hash, "regional_manager", Map.of("region", "Europe"))));
        server = ReportServer.start(ReportsFixture.reports(layer), config, "127.0.0.1", 0, m -> { });
    }

    @AfterAll
    void tearDown() {
        server.close();
        layer.close();
    }

    @Test
    void everyRequestNeedsAKnownUserAndNothingLeaksBefore() throws Exception {
        HttpResponse<String> anonymous = get("/sales_overview.html", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("Basic"));
        assertThat(anonymous.body()).doesNotContain("Revenue").doesNotContain("sales_overview");
        assertThat(get("/", "ann", "wrong").statusCode()).isEqualTo(401);
        assertThat(get("/", "mallory", "s3cret").statusCode()).isEqualTo(401);
        HttpResponse<String> index = get("/", "ann", "s3cret");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("sales_overview.html", "Elastic jobs health");
    }

    @Test
    void filtersAreLiveAndTheRoleOfTheUserAppliesToEveryTile() throws Exception {
        HttpResponse<String> page = get("/sales_overview.html?channel=Web&date=2026-08-01..2026-08-31", "ann", "s3cret");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body().contains("<form class=\"filters\" method=\"get\">")).isTrue();
        assertThat(page.body().contains("name=\"channel\" value=\"Web\"")).isTrue();

        HttpResponse<String> csv = get("/sales_overview/channel_month_table.csv?region=Asia", "eve", "s3cret");
        assertThat(csv.statusCode()).isEqualTo(200);
        // eve's row filter (Europe) and the filter (Asia) leave nothing: the filter cannot widen her view
        assertThat(csv.body().lines().count()).isEqualTo(1);
        HttpResponse<String> revenue = get("/sales_overview/revenue.csv", "eve", "s3cret");
        assertThat(new java.math.BigDecimal(revenue.body().lines().skip(1).findFirst().orElseThrow()).stripTrailingZeros())
                .isEqualTo(direct(db, "select sum(f.total) from dw.fact_sales f join dw.dim_customer c "
                        + "using (customer_key) where c.region = 'Europe'").get(0).get(0));

        HttpResponse<String> hidden = get("/elastic_jobs.html", "eve", "s3cret");
        assertThat(hidden.statusCode()).isEqualTo(502);
        assertThat(hidden.body()).contains("view elastic_jobs is not visible to user eve");
        assertThat(get("/nothing.html", "ann", "s3cret").statusCode()).isEqualTo(404);
        assertThat(get("/sales_overview.html?colour=red", "ann", "s3cret").statusCode()).isEqualTo(400);
    }

    @Test
    void theAgentRendersADashboardOnceAfterEachSuccessfulRunAndKeepsTheLastGoodCopy(@TempDir Path out)
            throws Exception {
        List<String> log = new ArrayList<>();
        ReportsAgent agent = new ReportsAgent(ReportsFixture.ROOT, out, Duration.ofSeconds(30), log::add);
        assertThat(agent.checkOnce(db)).isZero();   // no pipeline has run yet
        ReportsFixture.execute(db, "insert into elt.run (pipeline, trigger, status, finished_at) values "
                + "('weblogs_daily', 'manual', 'succeeded', now()), ('recommendations', 'manual', 'failed', now())");
        assertThat(agent.checkOnce(db)).isEqualTo(3);   // sales_overview, customer_behaviour, products
        assertThat(out.resolve("sales_overview.html")).isRegularFile();
        assertThat(out.resolve("recommendations.html")).doesNotExist();
        assertThat(agent.checkOnce(db)).isZero();   // nothing new
        String good = Files.readString(out.resolve("products.html"), StandardCharsets.UTF_8);

        ReportsFixture.execute(db, "alter table dw.fact_sales rename to fact_sales_gone; "
                + "alter table mart.sales_by_product_month rename to sales_by_product_month_gone; "
                + "alter table mart.sales_by_category_month rename to sales_by_category_month_gone");
        try {
            ReportsFixture.execute(db, "insert into elt.run (pipeline, trigger, status, finished_at) values "
                    + "('weblogs_daily', 'manual', 'succeeded', now())");
            agent.checkOnce(db);
        } finally {
            ReportsFixture.execute(db, "alter table dw.fact_sales_gone rename to fact_sales; "
                    + "alter table mart.sales_by_product_month_gone rename to sales_by_product_month; "
                    + "alter table mart.sales_by_category_month_gone rename to sales_by_category_month");
        }
        assertThat(Files.readString(out.resolve("products.html"), StandardCharsets.UTF_8).equals(good))
                .as("the last good copy stays").isTrue();
        assertThat(direct(db, "select count(*) from mart.report_render where dashboard = 'products' and status = 'failed'"))
                .containsExactly(List.of(java.math.BigDecimal.ONE));
        assertThat(log).anySatisfy(l -> assertThat(l).contains("refresh of products after run")
                .contains("failed, the last good copy stays"));
        // the failed refresh is tried again, and succeeds now that the warehouse is back
        assertThat(agent.checkOnce(db)).isGreaterThanOrEqualTo(1);
        assertThat(direct(db, "select status from mart.report_render where dashboard = 'products' "
                + "order by render_id desc limit 1")).containsExactly(List.of("ok"));
    }

    private HttpResponse<String> get(String path, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(60));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
