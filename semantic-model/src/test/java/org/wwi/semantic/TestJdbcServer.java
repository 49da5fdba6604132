package org.wwi.semantic;

import org.apache.calcite.avatica.ColumnMetaData.Rep;
import org.apache.calcite.avatica.ConnectionConfigImpl;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.remote.AvaticaHttpClient;
import org.apache.calcite.avatica.remote.AvaticaHttpClientFactoryImpl;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.RemoteProtobufService;
import org.apache.calcite.avatica.remote.Service;
import org.apache.calcite.avatica.remote.TypedValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.testkit.TestServer;
import org.wwi.testkit.WwiPostgres;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.wwi.semantic.TestingWarehouse.direct;
import static org.wwi.semantic.TestingWarehouse.normalize;

/** {@code wwi serve}: authentication, metadata for BI tools, read-only, limits, the query log, resilience. */
@ExtendWith(WwiPostgres.class)
class TestJdbcServer {
    private static Database db;
    private static SemanticLayer layer;
    private static SemanticServer server;

    @BeforeAll
    static void setUp(Database database) {
        db = database;
        TestingWarehouse.fill(db);
        layer = SemanticLayer.open(db, TestingWarehouse.model());
        layer.rollups().buildAll(Rollups.BuildOptions.defaults(), Progress.none());
        server = SemanticServer.start(layer, TestingServer.config());
    }

    @AfterAll
    static void tearDown() {
        server.close();
        layer.close();
    }

    @Test
    void unknownUsersAndWrongPasswordsAreRefusedWithoutAnyMetadata() throws Exception {
        assertThatThrownBy(() -> TestingServer.connect(server, "ana", "wrong").getMetaData().getTables(null, null,
                "%", null)).hasMessageContaining("HTTP/401");
        assertThatThrownBy(() -> TestingServer.connect(server, "mallory", "ana-secret").getMetaData()
                .getTables(null, null, "%", null)).hasMessageContaining("HTTP/401");
        // a raw request without credentials: 401 and nothing about the model in the answer
        HttpURLConnection http = (HttpURLConnection) new URL(server.url()).openConnection();
        http.setRequestMethod("POST");
        http.setDoOutput(true);
        http.getOutputStream().write(new byte[] {1, 2, 3});
        assertThat(http.getResponseCode()).isEqualTo(401);
        String body;
        try (InputStream in = http.getErrorStream()) {
            body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(body).doesNotContain("sales").doesNotContain("revenue").doesNotContain("wwi");
        assertThat(http.getHeaderField("WWW-Authenticate")).startsWithIgnoringCase("basic realm=");
    }

    /** The Avatica protocol spoken directly, as a hostile client could, with one user's credentials (or none). */
    private static Service protocol(Optional<String> user, String password) throws Exception {
        Properties p = new Properties();
        user.ifPresent(u -> {
            p.setProperty("authentication", "BASIC");
            p.setProperty("avatica_user", u);
            p.setProperty("avatica_password", password);
        });
        AvaticaHttpClient http = AvaticaHttpClientFactoryImpl.getInstance().getClient(new URL(server.url()),
                new ConnectionConfigImpl(p), null);
        return new RemoteProtobufService(http, new ProtobufTranslationImpl());
    }

    @Test
    void statementsAndConnectionsBelongToTheUserWhoOpenedThem() throws Exception {
        Service ana = protocol(Optional.of("ana"), "ana-secret");
        Service mark = protocol(Optional.of("mark"), "mark-secret");
        Service nobody = protocol(Optional.empty(), "");
        String anaConnection = UUID.randomUUID().toString();
        ana.apply(new Service.OpenConnectionRequest(anaConnection, Map.of()));
        int anaStatement = ana.apply(new Service.CreateStatementRequest(anaConnection)).statementId;
        String sql = "select product_name, measure(revenue) from sales group by 1 order by 1";
        Service.ExecuteResponse first = ana.apply(new Service.PrepareAndExecuteRequest(anaConnection, anaStatement,
                sql, -1, 1));
        assertThat(first.results.get(0).firstFrame.done).isFalse();
        Service.PrepareResponse prepared = ana.apply(new Service.PrepareRequest(anaConnection,
                "select measure(revenue) from sales where channel_name = ?", -1));
        int anaPrepared = prepared.statement.id;

        String markConnection = UUID.randomUUID().toString();
        mark.apply(new Service.OpenConnectionRequest(markConnection, Map.of()));
        int markStatement = mark.apply(new Service.CreateStatementRequest(markConnection)).statementId;
        Meta.StatementHandle onAnas = new Meta.StatementHandle(anaConnection, anaPrepared, null);
        Meta.StatementHandle onMarks = new Meta.StatementHandle(markConnection, anaPrepared, null);
        List<TypedValue> web = List.of(TypedValue.ofLocal(Rep.STRING, "Web"));
        // another user, through ana's connection id or through their own: as if the ids did not exist
        List<Supplier<Object>> attempts = List.of(
                () -> mark.apply(new Service.FetchRequest(anaConnection, anaStatement, 1, 100)),
                () -> mark.apply(new Service.FetchRequest(markConnection, anaStatement, 1, 100)),
                () -> mark.apply(new Service.ExecuteRequest(onAnas, web, 100)),
                () -> mark.apply(new Service.ExecuteRequest(onMarks, web, 100)),
                () -> mark.apply(new Service.PrepareAndExecuteRequest(markConnection, anaStatement, sql, -1, 100)),
                () -> mark.apply(new Service.PrepareAndExecuteRequest(anaConnection, markStatement, sql, -1, 100)),
                () -> mark.apply(new Service.CreateStatementRequest(anaConnection)),
                () -> mark.apply(new Service.PrepareRequest(anaConnection, sql, -1)),
                () -> mark.apply(new Service.OpenConnectionRequest(anaConnection, Map.of())),
                () -> mark.apply(new Service.ConnectionSyncRequest(anaConnection, new ConnectionPropertiesImpl())),
                () -> mark.apply(new Service.TablesRequest(anaConnection, null, null, "%", null)));
        for (int i = 0; i < attempts.size(); i++) {
            Object[] answer = new Object[1];
            Supplier<Object> attempt = attempts.get(i);
            Throwable t = catchThrowable(() -> answer[0] = attempt.get());
            if (t == null) {
                // Avatica answers an unknown statement with "missing statement" instead of an error
                assertThat(answer[0]).as("attempt %d", i).satisfiesAnyOf(
                        a -> assertThat(a).isInstanceOfSatisfying(Service.FetchResponse.class,
                                f -> assertThat(f.missingStatement && (f.frame == null
                                        || !f.frame.rows.iterator().hasNext())).isTrue()),
                        a -> assertThat(a).isInstanceOfSatisfying(Service.ExecuteResponse.class,
                                e -> assertThat(e.missingStatement && (e.results == null || e.results.isEmpty()))
                                        .isTrue()));
            } else {
                assertThat(t).as("attempt %d", i).isInstanceOf(AvaticaClientRuntimeException.class);
                assertThat(t.getMessage()).as("attempt %d", i).doesNotContain("sales").doesNotContain("revenue");
            }
        }
        // closing someone else's statement or connection does nothing
        mark.apply(new Service.CloseStatementRequest(anaConnection, anaStatement));
        mark.apply(new Service.CloseStatementRequest(markConnection, anaStatement));
        mark.apply(new Service.CloseConnectionRequest(anaConnection));
        // without credentials nothing answers at all
        for (Runnable r : List.<Runnable>of(
                () -> nobody.apply(new Service.FetchRequest(anaConnection, anaStatement, 1, 100)),
                () -> nobody.apply(new Service.ExecuteRequest(onAnas, web, 100)),
                () -> nobody.apply(new Service.CloseStatementRequest(anaConnection, anaStatement)),
                () -> nobody.apply(new Service.CloseConnectionRequest(anaConnection)),
                () -> nobody.apply(new Service.OpenConnectionRequest(UUID.randomUUID().toString(), Map.of())))) {
            assertThatThrownBy(r::run).hasMessageContaining("HTTP/401");
        }

        // ana's statements are intact: the rest of her result, then her prepared statement
        Service.FetchResponse rest = ana.apply(new Service.FetchRequest(anaConnection, anaStatement, 1, 1000));
        List<List<Object>> rows = new ArrayList<>();
        first.results.get(0).firstFrame.rows.forEach(r -> rows.add(normalizeRow(r)));
        rest.frame.rows.forEach(r -> rows.add(normalizeRow(r)));
        assertThat(rest.frame.done).isTrue();
        assertThat(rows).isEqualTo(direct(db, "select p.product_name, sum(s.total) from dw.fact_sales s "
                + "join dw.dim_product p using (product_key) group by 1 order by 1"));
        Service.ExecuteResponse byAna = ana.apply(new Service.ExecuteRequest(prepared.statement, web, 100));
        assertThat(normalizeRow(byAna.results.get(0).firstFrame.rows.iterator().next())).isEqualTo(direct(db,
                "select sum(total) from dw.fact_sales where channel_key = 2").get(0));
        ana.apply(new Service.CloseStatementRequest(anaConnection, anaStatement));
        ana.apply(new Service.CloseConnectionRequest(anaConnection));
        mark.apply(new Service.CloseConnectionRequest(markConnection));
    }

    private static List<Object> normalizeRow(Object row) {
        List<Object> out = new ArrayList<>();
        for (Object v : row instanceof List<?> l ? l.toArray() : (Object[]) row) {
            out.add(normalize(v));
        }
        return out;
    }

    @Test
    void databaseMetaDataAnswersWhatBiToolsAsk() throws SQLException {
        try (Connection c = TestingServer.connect(server, "ana", "ana-secret")) {
            DatabaseMetaData md = c.getMetaData();
            assertThat(md.getSQLKeywords()).contains("MEASURE");
            assertThat(strings(md.getCatalogs(), 1)).containsExactly("wwi");
            assertThat(strings(md.getSchemas(), 1)).containsExactly("semantic");
            assertThat(strings(md.getTableTypes(), 1)).containsExactly("TABLE");
            assertThat(strings(md.getTables(null, "semantic", "%", new String[] {"TABLE"}), 3))
                    .containsExactly("sales", "web_events", "customers", "recommendations", "elastic_jobs");
            assertThat(strings(md.getTables("wwi", null, "web%", null), 5))
                    .containsExactly("Web and mobile events with the shopping funnel, customer, product, channel and date");
            try (ResultSet rs = md.getColumns(null, null, "sales", "revenue")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt("DATA_TYPE")).isEqualTo(Types.DECIMAL);
                assertThat(rs.getString("TYPE_NAME")).isEqualTo("DECIMAL(38, 2)");
                assertThat(rs.getInt("DECIMAL_DIGITS")).isEqualTo(2);
                assertThat(rs.getString("REMARKS")).isEqualTo("Sales amount of the lines [measure, sum, currency: "
                        + "aggregate with MEASURE(revenue) or SUM(revenue)]");
                assertThat(rs.next()).isFalse();
            }
            try (ResultSet rs = md.getColumns(null, null, "sales", "date_month")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt("DATA_TYPE")).isEqualTo(Types.VARCHAR);
                assertThat(rs.getString("REMARKS")).isEqualTo("Calendar month, e.g. 2026-03 [dimension date.month]");
            }
            assertThat(strings(md.getColumns(null, null, "customers", "%"), 4))
                    .containsExactly("customers", "region", "age_band", "gender", "signup_date");
            assertThat(strings(md.getTypeInfo(), 1)).contains("VARCHAR", "BIGINT", "DECIMAL", "DATE");
            assertThat(strings(md.getPrimaryKeys(null, null, "sales"), 4)).isEmpty();
            assertThat(strings(md.getProcedures(null, null, "%"), 3)).isEmpty();
            assertThat(strings(md.getFunctions(null, null, "%"), 3)).isEmpty();
        }
        try (Connection c = TestingServer.connect(server, "mark", "mark-secret")) {
            assertThat(strings(c.getMetaData().getTables(null, null, "%", null), 3)).containsExactly("web_events");
        }
        try (Connection c = TestingServer.connect(server, "eve", "eve-secret")) {
            assertThat(strings(c.getMetaData().getColumns(null, null, "sales", "customer%"), 4))
                    .containsExactly("customer_region", "customer_age_band", "customer_gender");
        }
    }

    private static List<String> strings(ResultSet rs, int column) throws SQLException {
        List<String> out = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                out.add(rs.getString(column));
            }
        }
        return out;
    }

    @Test
    void queriesPreparedStatementsAndExplainWork() throws SQLException {
        try (Connection c = TestingServer.connect(server, "ana", "ana-secret")) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select channel_name, measure(revenue) from sales group by channel_name order by 1")) {
                assertThat(rs.getMetaData().getColumnLabel(2)).isEqualTo("revenue");
                assertThat(TestingWarehouse.rows(rs)).isEqualTo(direct(db, "select c.channel_name, sum(s.total) "
                        + "from dw.fact_sales s join dw.dim_channel c using (channel_key) group by 1 order by 1"));
            }
            try (PreparedStatement ps = c.prepareStatement("select measure(revenue) as r from sales "
                    + "where date_month = ? and channel_name = ?")) {
                assertThat(ps.getParameterMetaData().getParameterCount()).isEqualTo(2);
                for (String month : List.of("2026-02", "2026-03")) {
                    ps.setString(1, month);
                    ps.setString(2, "Web");
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(TestingWarehouse.rows(rs)).isEqualTo(direct(db, "select sum(total) from "
                                + "dw.fact_sales where channel_key = 2 and to_char(sale_ts, 'YYYY-MM') = '" + month + "'"));
                    }
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "explain plan for select channel_name, measure(revenue) from sales group by 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).contains("JdbcTableScan(table=[[mart, sales_by_channel_month]])")
                        .contains("-- rollups used: sales_by_channel_month");
            }
        }
    }

    @Test
    void theServerIsReadOnly() throws SQLException {
        try (Connection c = TestingServer.connect(server, "ana", "ana-secret"); Statement s = c.createStatement()) {
            c.setReadOnly(false);
            c.setAutoCommit(false);
            for (String sql : List.of("delete from sales", "create table dw.x (a int)", "drop table sales",
                    "update sales set revenue = 1", "insert into dw.dim_channel values (9, 'x', 'x')")) {
                assertThatThrownBy(() -> s.executeUpdate(sql)).as(sql).isInstanceOf(SQLException.class)
                        .hasMessageContaining("read-only");
            }
            s.addBatch("delete from sales");
            assertThatThrownBy(s::executeBatch).hasMessageContaining("Cannot run a batch: the semantic layer is read-only");
            c.setAutoCommit(true);
            try (ResultSet rs = s.executeQuery("select measure(lines) from sales")) {
                assertThat(rs.next()).isTrue();
            }
        }
        assertThat(direct(db, "select count(*) from dw.dim_channel")).containsExactly(List.of(normalize(3)));
    }

    @Test
    void queriesAreLoggedWithUserRowsDurationAndRollups() throws SQLException {
        try (Connection c = TestingServer.connect(server, "mark", "mark-secret"); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select channel_name, measure(conversion_rate) from web_events "
                    + "group by 1")) {
                while (rs.next()) {
                    rs.getString(1);
                }
            }
            assertThatThrownBy(() -> s.executeQuery("select sum(conversion_rate) from web_events"))
                    .hasMessageContaining("Cannot aggregate measure conversion_rate with SUM");
        }
        layer.flushLog();
        List<List<Object>> log = direct(db, "select user_name, role_name, source, status, row_count, "
                + "rollups::text from mart.query_log where user_name = 'mark' order by query_id");
        assertThat(log).containsExactly(
                List.of("mark", "marketing", "jdbc", "ok", normalize(2), "{conversion_by_channel}"),
                java.util.Arrays.asList("mark", "marketing", "jdbc", "error", null, "{}"));
    }

    @Test
    void rowLimitAndTimeoutApplyPerQuery() throws SQLException {
        try (SemanticServer limited = SemanticServer.start(layer, TestingServer.config()
                .withLimits(Duration.ofSeconds(30), 5));
             Connection c = TestingServer.connect(limited, "ana", "ana-secret"); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> drain(s.executeQuery("select product_name, measure(revenue) from sales "
                    + "group by 1"))).hasMessageContaining("Cannot return more than 5 rows");
            assertThat(drain(s.executeQuery("select product_name, measure(revenue) from sales group by 1 "
                    + "order by 1 limit 5"))).isEqualTo(5);
        }
        try (SemanticServer hasty = SemanticServer.start(layer, TestingServer.config()
                .withLimits(Duration.ofSeconds(1), 1000));
             Connection c = TestingServer.connect(hasty, "ana", "ana-secret"); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> drain(s.executeQuery(slowQuery())))
                    .hasMessageContaining("Cannot finish query within");
        }
    }

    private static String slowQuery() {
        return "select count(*) from (select a.session_id from (select session_id from web_events) a, "
                + "(select session_id from web_events) b, (select product_name from web_events) c) t";
    }

    private static int drain(ResultSet rs) throws SQLException {
        int n = 0;
        try (rs) {
            while (rs.next()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void killingPostgresSessionsMidQueryGivesAnErrorAndTheServerKeepsServing(TestServer pg) throws Exception {
        layer.sql("select measure(lines) from sales", Principal.operator(), false); // a session idles in the pool
        try (Connection c = TestingServer.connect(server, "ana", "ana-secret")) {
            CompletableFuture<Object> slow = CompletableFuture.supplyAsync(() -> {
                try (Statement s = c.createStatement()) {
                    return drain(s.executeQuery(slowQuery()));
                } catch (SQLException e) {
                    return e;
                }
            });
            // wait until the query runs in PostgreSQL, then kill the server's sessions
            long deadline = System.currentTimeMillis() + 30_000;
            while (direct(db, "select count(*) from pg_stat_activity where application_name = 'wwi-serve' "
                    + "and state = 'active'").get(0).get(0).equals(normalize(0))) {
                assertThat(System.currentTimeMillis()).as("the slow query never started").isLessThan(deadline);
                Thread.sleep(50);
            }
            try (Database admin = pg.admin(); Connection a = admin.dataSource().getConnection();
                 Statement s = a.createStatement()) {
                // every session of the warehouse: the server's, the layer's pool and Calcite's metadata session
                s.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '"
                        + direct(db, "select current_database()").get(0).get(0) + "' and pid <> pg_backend_pid()");
            }
            Object outcome = slow.get(60, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(SQLException.class);
            assertThat(((SQLException) outcome).getMessage()).contains("connection to PostgreSQL was lost");
            // the same connection works again (its PostgreSQL session is reopened), and so do new ones
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select measure(lines) from sales")) {
                assertThat(rs.next()).isTrue();
            }
        }
        try (Connection c = TestingServer.connect(server, "eve", "eve-secret"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select measure(lines) from sales")) {
            assertThat(rs.next()).isTrue();
        }
        // in-process queries reopen the pooled sessions that were terminated while idle
        assertThat(normalize(layer.sql("select measure(lines) from sales", Principal.operator(), false).rows()))
                .isEqualTo(direct(db, "select count(*) from dw.fact_sales"));
    }

    @Test
    void tlsServesTheSameProtocolOverHttps(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("serve.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "wwi", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        ServeConfig config = TestingServer.config().withTls(Optional.of(new ServeConfig.Tls(keystore,
                "changeit".toCharArray())));
        try (SemanticServer https = SemanticServer.start(layer, config)) {
            assertThat(https.jdbcUrl()).startsWith("jdbc:avatica:remote:url=https://localhost:");
            Properties extra = new Properties();
            extra.setProperty("truststore", keystore.toString());
            extra.setProperty("truststore_password", "changeit");
            try (Connection c = TestingServer.connect(https.jdbcUrl(), "ana", "ana-secret", extra);
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select measure(lines) from sales")) {
                assertThat(TestingWarehouse.rows(rs)).isEqualTo(direct(db, "select count(*) from dw.fact_sales"));
            }
        }
    }

    @Test
    void usersNeedAKnownRoleAndTheAttributesOfItsRowFilter() {
        ServeConfig noRole = TestingServer.config().withUsers(Map.of("zed", new ServeConfig.User("zed",
                PasswordHash.hash("x".toCharArray(), 20_000), "analist", Map.of())));
        assertThatThrownBy(() -> SemanticServer.start(layer, noRole)).hasMessageContaining("role 'analist' is not in "
                + "the model (did you mean 'analyst'?)");
        ServeConfig noRegion = TestingServer.config().withUsers(Map.of("zed", new ServeConfig.User("zed",
                PasswordHash.hash("x".toCharArray(), 20_000), "regional_manager", Map.of())));
        assertThatThrownBy(() -> SemanticServer.start(layer, noRegion)).hasMessageContaining("filters rows on "
                + "{user.region} but the user has no attribute 'region'");
        assertThatThrownBy(() -> SemanticServer.start(layer, TestingServer.config().withPort(server.port())))
                .hasMessageContaining("Cannot listen on localhost:" + server.port());
    }
}
