package org.wwi.reports;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.platform.Database;
import org.wwi.semantic.SemanticLayer;
import org.wwi.semantic.ServeConfig;
import org.wwi.testkit.WwiPostgres;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.wwi.reports.ReportsFixture.direct;

@ExtendWith(WwiPostgres.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestServeAndRefresh {
    private Database db;
    private SemanticLayer layer;
    private ReportServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> serverLog = new CopyOnWriteArrayList<>();

    /** Beside the shipped dashboards: one with a tile on a member hidden from regional managers, one for analysts. */
    private static final String TEAM = """
            title: Customers of the region
            filters:
              - {name: region, member: customer.region}
              - {name: customer, member: customer.full_name}
            tiles:
              - {id: revenue, kind: kpi, view: sales, measures: [revenue]}
              - id: top_customers
                kind: table
                view: sales
                measures: [revenue]
                dimensions: [customer.full_name]
                order: [revenue desc, customer.full_name]
                limit: 5
              - {id: job_runs, kind: kpi, view: elastic_jobs, measures: [target_runs]}
            """;
    private static final String ANALYSTS = """
            title: For analysts
            roles: [analyst]
            tiles:
              - {id: revenue, kind: kpi, view: sales, measures: [revenue]}
            """;

    @BeforeAll
    void setUp(Database database, @TempDir Path state) {
        db = database;
        ReportsFixture.fill(db, state);
        layer = ReportsFixture.layer(db);
        List<Dashboard> dashboards = new ArrayList<>(Reports.load(ReportsFixture.ROOT.resolve(Reports.FOLDER)));
        dashboards.add(DashboardReader.read("team", "dashboards/team.yaml", TEAM));
        dashboards.add(DashboardReader.read("analysts_only", "dashboards/analysts_only.yaml", ANALYSTS));
        // the users and roles of the JDBC endpoint, from the project's own serve.yaml (demo passwords)
        ServeConfig config = ServeConfig.load(ReportsFixture.ROOT.resolve(ServeConfig.FILE), Map.of());
        server = ReportServer.start(Reports.open(layer, dashboards), config, "127.0.0.1", 0, serverLog::add);
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
        assertThat(get("/", "analyst", "wrong").statusCode()).isEqualTo(401);
        assertThat(get("/", "mallory", "wwi-analyst").statusCode()).isEqualTo(401);
        assertThat(get("/sales_overview/revenue.csv", null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> index = get("/", "analyst", "wwi-analyst");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("sales_overview.html", "Elastic jobs health", "analysts_only.html");
    }

    @Test
    void theIndexListsOnlyTheDashboardsOfTheRoleAndOthersAnswer403() throws Exception {
        HttpResponse<String> marketing = get("/", "marketing", "wwi-marketing");
        assertThat(marketing.statusCode()).isEqualTo(200);
        assertThat(links(marketing.body())).containsExactly("customer_behaviour.html");
        HttpResponse<String> emea = get("/", "emea_manager", "wwi-emea");
        assertThat(links(emea.body())).containsExactly("customer_behaviour.html", "products.html",
                "sales_overview.html", "team.html");
        for (String path : List.of("/sales_overview.html", "/products.html", "/elastic_jobs.html",
                "/recommendations.html", "/team.html", "/analysts_only.html", "/sales_overview/revenue.csv")) {
            HttpResponse<String> r = get(path, "marketing", "wwi-marketing");
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(r.body()).as(path).contains("may not see it").doesNotContain("<canvas");
        }
        HttpResponse<String> analystsOnly = get("/analysts_only.html", "emea_manager", "wwi-emea");
        assertThat(analystsOnly.statusCode()).isEqualTo(403);
        assertThat(analystsOnly.body()).contains("it is for the roles analyst");
        assertThat(get("/elastic_jobs.html", "emea_manager", "wwi-emea").statusCode()).isEqualTo(403);
        // the navigation of a page the role may open names only the pages it may open too
        HttpResponse<String> page = get("/customer_behaviour.html", "marketing", "wwi-marketing");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(links(page.body())).containsExactly("customer_behaviour.html", "index.html");
    }

    @Test
    void aTileOnAViewOrMemberTheRoleCannotSeeSaysSoAndTheRestRenders() throws Exception {
        HttpResponse<String> page = get("/team.html", "emea_manager", "wwi-emea");
        assertThat(page.statusCode()).isEqualTo(200);
        String html = page.body();
        assertThat(section(html, "top_customers")).contains("data-status=\"restricted\"")
                .contains("Not available for your role").doesNotContain("<td");
        assertThat(section(html, "job_runs")).contains("data-status=\"restricted\"")
                .contains("Not available for your role");
        BigDecimal europe = (BigDecimal) direct(db, "select sum(f.total) from dw.fact_sales f join dw.dim_customer c "
                + "using (customer_key) where c.region = 'Europe'").get(0).get(0);
        assertThat(section(html, "revenue")).contains("data-status=\"ready\"").contains(money(europe));
        // nothing of the hidden member reaches the page: no customer name of the warehouse is in it
        List<List<Object>> names = direct(db, "select full_name from dw.dim_customer where region = 'Europe' "
                + "and full_name is not null order by 1 limit 50");
        assertThat(names).allSatisfy(n -> assertThat(html).doesNotContain(">" + n.get(0) + "<"));
        HttpResponse<String> csv = get("/team/top_customers.csv", "emea_manager", "wwi-emea");
        assertThat(csv.statusCode()).isEqualTo(403);
        assertThat(csv.body()).contains("not available for your role");
        // the analyst sees the same tiles with data
        HttpResponse<String> analyst = get("/team.html", "analyst", "wwi-analyst");
        assertThat(section(analyst.body(), "top_customers")).contains("data-status=\"ready\"").contains("<td");
        assertThat(section(analyst.body(), "job_runs")).contains("data-status=\"ready\"");
        // a filter the reader sets on a member hidden from the role makes the tiles it would narrow unavailable
        HttpResponse<String> filtered = get("/team.html?customer=Nobody", "emea_manager", "wwi-emea");
        assertThat(filtered.statusCode()).isEqualTo(200);
        assertThat(section(filtered.body(), "revenue")).contains("data-status=\"restricted\"");
        assertThat(section(get("/team.html?customer=Nobody", "analyst", "wwi-analyst").body(), "revenue"))
                .contains("data-status=\"empty\"");
    }

    @Test
    void rowLevelSecurityAppliesToEveryTileOverHttp() throws Exception {
        HttpResponse<String> revenue = get("/sales_overview/revenue.csv", "emea_manager", "wwi-emea");
        assertThat(revenue.statusCode()).isEqualTo(200);
        assertThat(revenue.headers().firstValue("Content-Disposition")).hasValue(
                "attachment; filename=\"sales_overview-revenue.csv\"");
        assertThat(csvRows(revenue.body())).isEqualTo(direct(db, "select sum(f.total) from dw.fact_sales f "
                + "join dw.dim_customer c using (customer_key) where c.region = 'Europe'"));
        HttpResponse<String> table = get("/sales_overview/channel_month_table.csv", "emea_manager", "wwi-emea");
        assertThat(csvRows(table.body())).isEqualTo(direct(db, """
                select ch.channel_name, d.year_month, sum(f.total), count(distinct f.order_id),
                       round(sum(f.total) / count(distinct f.order_id), 6)
                from dw.fact_sales f join dw.dim_channel ch using (channel_key) join dw.dim_date d using (date_key)
                join dw.dim_customer c using (customer_key) where c.region = 'Europe'
                group by 1, 2 order by 2, 1"""));
        HttpResponse<String> funnel = get("/customer_behaviour/funnel.csv", "emea_manager", "wwi-emea");
        assertThat(csvRows(funnel.body())).isEqualTo(direct(db, """
                select count(*) filter (where action = 'Browsed'), count(*) filter (where action = 'Add To Cart'),
                       count(*) filter (where action = 'Purchased')
                from dw.fact_web_event e join dw.dim_customer c using (customer_key) where c.region = 'Europe'"""));
        // the analyst's numbers are the whole warehouse's, and differ from the region's
        HttpResponse<String> all = get("/sales_overview/revenue.csv", "analyst", "wwi-analyst");
        assertThat(csvRows(all.body())).isEqualTo(direct(db, "select sum(total) from dw.fact_sales"))
                .isNotEqualTo(csvRows(revenue.body()));
        // eve's row filter (Europe) and a filter on Asia leave nothing: a filter cannot widen her view
        HttpResponse<String> asia = get("/sales_overview/channel_month_table.csv?region=Asia", "emea_manager",
                "wwi-emea");
        assertThat(asia.statusCode()).isEqualTo(200);
        assertThat(asia.body().lines().count()).isEqualTo(1);
        // the page itself shows the region's figure
        HttpResponse<String> page = get("/sales_overview.html", "emea_manager", "wwi-emea");
        assertThat(section(page.body(), "revenue")).contains(money((BigDecimal) csvRows(revenue.body()).get(0).get(0)));
    }

    @Test
    void filtersAreLiveAndBadRequestsGetTheirOwnStatus() throws Exception {
        HttpResponse<String> page = get("/sales_overview.html?channel=Web&date=2026-08-01..2026-08-31", "analyst",
                "wwi-analyst");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body().contains("<form class=\"filters\" method=\"get\">")).isTrue();
        assertThat(page.body().contains("name=\"channel\" value=\"Web\"")).isTrue();
        HttpResponse<String> web = get("/sales_overview/revenue.csv?channel=Web&date=2026-08-01..2026-08-31",
                "analyst", "wwi-analyst");
        assertThat(csvRows(web.body())).isEqualTo(direct(db, """
                select sum(f.total) from dw.fact_sales f join dw.dim_channel c using (channel_key)
                join dw.dim_date d using (date_key)
                where c.channel_name = 'Web' and d.date between '2026-08-01' and '2026-08-31'"""));
        assertThat(get("/nothing.html", "analyst", "wwi-analyst").statusCode()).isEqualTo(404);
        assertThat(get("/sales_overview/nothing.csv", "analyst", "wwi-analyst").statusCode()).isEqualTo(404);
        assertThat(get("/sales_overview.html?colour=red", "analyst", "wwi-analyst").statusCode()).isEqualTo(400);
    }

    @Test
    void aFailingQueryAnswers500WithAClearPageAndTheDetailsOnlyInTheLog() throws Exception {
        ReportsFixture.execute(db, "alter table mart.user_recommendations rename to user_recommendations_gone");
        HttpResponse<String> page;
        HttpResponse<String> csv;
        try {
            page = get("/recommendations.html", "analyst", "wwi-analyst");
            csv = get("/recommendations/coverage.csv", "analyst", "wwi-analyst");
        } finally {
            ReportsFixture.execute(db, "alter table mart.user_recommendations_gone rename to user_recommendations");
        }
        assertThat(page.statusCode()).isEqualTo(500);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("text/html"));
        assertThat(page.body()).contains("This dashboard could not be shown",
                "Cannot render tile recommended_products of dashboards/recommendations.yaml.");
        for (String leak : List.of("user_recommendations", "select", "SELECT", "Exception", "\tat ", "org.wwi",
                "postgres", "PSQL")) {
            assertThat(page.body()).as("leaks %s", leak).doesNotContain(leak);
            assertThat(csv.body()).as("csv leaks %s", leak).doesNotContain(leak);
        }
        assertThat(csv.statusCode()).isEqualTo(500);
        String ref = page.body().replaceAll("(?s).*<b>([^<]+)</b>.*", "$1");
        assertThat(serverLog).anySatisfy(l -> assertThat(l).contains("[" + ref + "]")
                .contains("user_recommendations"));
        // and it serves again once the warehouse is back
        assertThat(get("/recommendations.html", "analyst", "wwi-analyst").statusCode()).isEqualTo(200);
    }

    @Test
    void theAgentRendersADashboardOnceAfterEachSuccessfulRunAndKeepsTheLastGoodCopy(@TempDir Path out)
            throws Exception {
        List<String> log = new ArrayList<>();
        TestingClock clock = new TestingClock("2026-12-02T05:00:00Z");
        ReportsAgent agent = new ReportsAgent(ReportsFixture.ROOT, out, () -> Reports.forProject(ReportsFixture.ROOT),
                ReportsAgent.Options.defaults().withBackoff(Duration.ofMinutes(1), Duration.ofMinutes(10)), clock,
                log::add);
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
                .contains("failed (1 failure), the last good copy stays; next try not before 2026-12-02T05:01:00Z"));
        // the failed refresh is tried again after the back-off, and succeeds now that the warehouse is back
        clock.advance(Duration.ofSeconds(59));
        assertThat(agent.checkOnce(db)).isZero();
        clock.advance(Duration.ofSeconds(2));
        // the semantic layer could not open on the broken warehouse, so all three dashboards of the pipeline failed
        assertThat(agent.checkOnce(db)).isEqualTo(3);
        assertThat(direct(db, "select status from mart.report_render where dashboard = 'products' "
                + "order by render_id desc limit 1")).containsExactly(List.of("ok"));
    }

    private static List<String> links(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<a href=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out.stream().distinct().sorted().toList();
    }

    static String section(String html, String tile) {
        int start = html.indexOf("id=\"tile-" + tile + "\"");
        assertThat(start).as("tile %s in the page", tile).isGreaterThan(0);
        return html.substring(start, html.indexOf("</section>", start));
    }

    static String money(BigDecimal v) {
        return org.wwi.semantic.Format.CURRENCY.apply(v, -1);
    }

    @Test
    void aScheduledDashboardRendersAtEachFireTimeAndBacksOffWhileItFails(@TempDir Path out) throws Exception {
        Dashboard d = DashboardReader.read("morning", "dashboards/morning.yaml", """
                title: Morning recommendations
                refresh: {cron: "0 0 6 * * ?", time_zone: Europe/Berlin}
                tiles:
                  - {id: coverage, kind: kpi, view: recommendations, measures: [users, recommendations]}
                """);
        List<String> log = new CopyOnWriteArrayList<>();
        TestingClock clock = new TestingClock("2026-12-02T04:30:00Z");   // 05:30 in Berlin
        ReportsAgent agent = new ReportsAgent(ReportsFixture.ROOT, out, () -> List.of(d),
                ReportsAgent.Options.defaults().withBackoff(Duration.ofMinutes(1), Duration.ofMinutes(4)), clock,
                log::add);
        assertThat(agent.checkOnce(db)).isZero();
        clock.set("2026-12-02T04:59:59Z");
        assertThat(agent.checkOnce(db)).isZero();
        clock.set("2026-12-02T05:00:01Z");   // 06:00:01 in Berlin
        assertThat(agent.checkOnce(db)).isEqualTo(1);
        assertThat(agent.checkOnce(db)).as("once per fire time").isZero();
        Path page = out.resolve("morning.html");
        String good = Files.readString(page, StandardCharsets.UTF_8);
        assertThat(direct(db, "select status, after_pipeline, source_run_id, finished_at = '2026-12-02T05:00:01Z' "
                + "from mart.report_render where dashboard = 'morning'"))
                .containsExactly(Arrays.asList("ok", null, null, "true"));

        ReportsFixture.execute(db, "alter table mart.user_recommendations rename to user_recommendations_gone");
        try {
            clock.set("2026-12-03T05:00:05Z");   // the next morning; the recommendations are gone
            assertThat(agent.checkOnce(db)).isZero();
            assertThat(failures()).isEqualTo(1);
            clock.advance(Duration.ofSeconds(50));
            assertThat(agent.checkOnce(db)).isZero();
            assertThat(failures()).as("backing off for a minute").isEqualTo(1);
            clock.advance(Duration.ofSeconds(11));
            agent.checkOnce(db);
            assertThat(failures()).isEqualTo(2);
            clock.advance(Duration.ofSeconds(61));
            agent.checkOnce(db);
            assertThat(failures()).as("backing off for two minutes now").isEqualTo(2);
            clock.advance(Duration.ofSeconds(60));
            agent.checkOnce(db);
            assertThat(failures()).isEqualTo(3);
            assertThat(Files.readString(page, StandardCharsets.UTF_8).equals(good)).as("the last good copy stays")
                    .isTrue();
            try (var files = Files.list(out)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
            }
            assertThat(log).anySatisfy(l -> assertThat(l).contains("refresh of morning after schedule 0 0 6 * * ?")
                    .contains("failed (3 failures in a row), the last good copy stays; next try not before "
                            + "2026-12-03T05:07:07Z").contains("'user_recommendations' not found"));
        } finally {
            ReportsFixture.execute(db, "alter table mart.user_recommendations_gone rename to user_recommendations");
        }
        clock.advance(Duration.ofMinutes(3));
        assertThat(agent.checkOnce(db)).as("4 minutes (the longest back-off) not yet over").isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(agent.checkOnce(db)).isEqualTo(1);
        assertThat(failures()).as("no failures since the last good render").isZero();
        assertThat(Files.readString(page, StandardCharsets.UTF_8)).contains("id=\"tile-coverage\"");
        assertThat(agent.checkOnce(db)).isZero();
        assertThat(ReportsAgent.nextFire(d, Instant.parse("2026-12-03T05:08:06Z")))
                .isEqualTo(Instant.parse("2026-12-04T05:00:00Z"));
    }

    @Test
    void theBackOffDoublesUpToItsLongestWait() {
        ReportsAgent.Options o = ReportsAgent.Options.defaults().withBackoff(Duration.ofMinutes(1),
                Duration.ofMinutes(5));
        assertThat(List.of(1, 2, 3, 4, 30).stream().map(o::backoff).toList()).containsExactly(Duration.ofMinutes(1),
                Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(5), Duration.ofMinutes(5));
        assertThatThrownBy(() -> o.withBackoff(Duration.ofMinutes(5), Duration.ofMinutes(1)))
                .hasMessageContaining("the longest back-off at least the first");
    }

    private int failures() {
        return ((BigDecimal) direct(db, "select count(*) from mart.report_render where dashboard = 'morning' "
                + "and status = 'failed' and render_id > coalesce((select max(render_id) from mart.report_render "
                + "where dashboard = 'morning' and status = 'ok'), 0)").get(0).get(0)).intValue();
    }

    static List<List<Object>> csvRows(String csv) {
        List<List<String>> rows = Csv.parse(csv);
        return Csv.values(rows.subList(1, rows.size()));
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
