package org.wwi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.semantic.bench.FactFixture;
import org.wwi.testkit.WwiPostgres;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code wwi query} and {@code wwi serve --check} on the shipped model and a generated warehouse. */
@ExtendWith(WwiPostgres.class)
class TestQueryCommand {
    private static final Path ROOT = Path.of(System.getProperty("wwi.test.root", "..")).toAbsolutePath().normalize();
    private static String url;
    private static Database db;

    @BeforeAll
    static void fill(Database database) {
        db = database;
        url = db.jdbcUrl();
        Migrations.forProject(ROOT).migrate(db);
        FactFixture.generate(db, new FactFixture.Spec(10_000, 200, 50, LocalDate.of(2026, 1, 1), 90, 3), Progress.none());
    }

    private static Run wwi(String... args) {
        return Run.in(ROOT, url, args);
    }

    @Test
    void queriesByMeasuresAndDimensionsAsCsvJsonOrTable() throws Exception {
        Run csv = wwi("query", "--measures", "revenue,orders", "--dimensions", "product.category,date.month",
                "--filter", "channel.name = web", "--format", "csv");
        assertThat(csv.exitCode()).as(csv.err()).isZero();
        String[] lines = csv.out().strip().split("\n");
        assertThat(lines[0]).isEqualTo("product_category,date_month,revenue,orders");
        assertThat(String.valueOf(lines.length - 1)).isEqualTo(scalar("select count(distinct (p.category, to_char(s.sale_ts, "
                + "'YYYY-MM'))) from dw.fact_sales s join dw.dim_product p using (product_key) where s.channel_key = 2"));
        assertThat(csv.err()).contains("rows in").contains("from the detail tables");

        Run json = wwi("query", "--measures", "revenue", "--dimensions", "channel.name", "--format", "json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode rows = new ObjectMapper().readTree(json.out());
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).get("channel_name").asText()).isEqualTo("Mobile");
        assertThat(rows.get(0).get("revenue").decimalValue()).isEqualByComparingTo(
                new java.math.BigDecimal(scalar("select sum(total) from dw.fact_sales where channel_key = 3")));

        Run table = wwi("query", "--measures", "revenue,conversion_rate", "--dimensions", "channel.name", "--sql",
                "select channel_name, measure(sessions) as sessions, measure(conversion_rate) as conversion_rate "
                        + "from web_events group by 1 order by 1");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("channel_name  sessions").contains("Mobile").contains("Web");

        Run formatted = wwi("query", "--measures", "revenue,average_order_value", "--dimensions", "channel.name",
                "--order", "revenue desc", "--limit", "1");
        assertThat(formatted.exitCode()).as(formatted.err()).isZero();
        assertThat(formatted.out()).contains("Retail store").containsPattern("\\$[0-9,]+\\.\\d\\d");
    }

    @Test
    void rolesAndUsersRestrictWhatAQuerySees() {
        Run eu = wwi("query", "--measures", "revenue", "--dimensions", "customer.region", "--role",
                "regional_manager", "--attribute", "region=Europe", "--format", "csv");
        assertThat(eu.exitCode()).as(eu.err()).isZero();
        String[] lines = eu.out().strip().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).startsWith("Europe,");
        Run user = wwi("query", "--measures", "revenue", "--dimensions", "customer.region", "--user", "emea_manager",
                "--format", "csv");
        assertThat(user.out()).isEqualTo(eu.out());
        Run denied = wwi("query", "--measures", "customers", "--dimensions", "region", "--role", "marketing");
        assertThat(denied.exitCode()).isEqualTo(1);
        assertThat(denied.err()).contains("error: Cannot find a view with all of [customers, region]");
    }

    @Test
    void errorsNameTheMemberAndTheFix() {
        Run typo = wwi("query", "--measures", "revenue", "--dimensions", "product.categroy", "--view", "sales");
        assertThat(typo.exitCode()).isEqualTo(1);
        assertThat(typo.err()).contains("error: Cannot find member 'product.categroy' in view sales (did you mean "
                + "'product.category'?)");
        Run wrong = wwi("query", "--sql", "select sum(conversion_rate) from web_events");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).contains("Cannot aggregate measure conversion_rate with SUM");
        Run write = wwi("query", "--sql", "delete from sales");
        assertThat(write.err()).contains("read-only");
        Run nothing = wwi("query");
        assertThat(nothing.exitCode()).isEqualTo(2);
    }

    @Test
    void explainShowsThePlanAndThePushedDownStatement() {
        Run explain = wwi("query", "--measures", "revenue", "--dimensions", "channel.name", "--explain");
        assertThat(explain.exitCode()).as(explain.err()).isZero();
        assertThat(explain.out()).contains("JdbcTableScan(table=[[dw, fact_sales]])")
                .contains("-- PostgreSQL (pushed down as one statement by the JDBC adapter):");
    }

    @Test
    void serveChecksTheModelUsersAndPortThenPrintsHowToConnect() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run serve = wwi("serve", "--check", "--port", String.valueOf(port));
        assertThat(serve.exitCode()).as(serve.err()).isZero();
        assertThat(serve.out()).contains("WWI semantic layer: 5 views (sales, web_events, customers, recommendations, elastic_jobs)")
                .contains("JDBC URL:  jdbc:avatica:remote:url=http://localhost:" + port
                        + ";serialization=protobuf;authentication=BASIC")
                .contains("sqlline.SqlLine -d org.apache.calcite.avatica.remote.Driver")
                .contains("avatica_user=analyst;avatica_password=PASSWORD")
                .contains("Checked: the server started and stopped.");
        Run missing = wwi("serve", "--serve-config", ROOT.resolve("nope.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.yaml does not exist");
    }

    @Test
    void hashPasswordPrintsAVerifiableHash() {
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("s3cret\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            Run hash = Run.of("--project", ROOT.toString(), "serve", "--hash-password");
            assertThat(hash.exitCode()).as(hash.err()).isZero();
            assertThat(hash.out().strip()).startsWith("pbkdf2-sha256$600000$").doesNotContain("s3cret");
            assertThat(org.wwi.semantic.PasswordHash.verify("s3cret".toCharArray(), hash.out().strip())).isTrue();
        } finally {
            System.setIn(stdin);
        }
    }

    private static String scalar(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
