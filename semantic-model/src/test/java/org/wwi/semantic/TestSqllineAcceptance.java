package org.wwi.semantic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.semantic.bench.ExampleQueries;
import org.wwi.testkit.WwiPostgres;
import sqlline.SqlLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wwi.semantic.TestingWarehouse.direct;

/**
 * Acceptance: the real sqlline shell (Maven Central sqlline:sqlline) with the Avatica remote driver
 * connects to the server, lists the tables and runs the shipped example queries; every result
 * equals the hand-written SQL run directly on the warehouse.
 */
@ExtendWith(WwiPostgres.class)
class TestSqllineAcceptance {

    @Test
    void sqllineListsTablesAndRunsTheExampleQueriesWithTheWarehousesNumbers(Database db, @TempDir Path dir)
            throws IOException {
        TestingWarehouse.fill(db);
        try (SemanticLayer layer = SemanticLayer.open(db, TestingWarehouse.model());
             SemanticServer server = SemanticServer.start(layer, TestingServer.config())) {
            layer.rollups().buildAll(Rollups.BuildOptions.defaults(), Progress.none());
            String url = server.jdbcUrl() + ";avatica_user=ana;avatica_password=ana-secret";

            String tables = sqlline(url, dir, "!tables");
            assertThat(tables).contains("'wwi','semantic','sales','TABLE'")
                    .contains("'wwi','semantic','web_events','TABLE'").contains("'wwi','semantic','customers','TABLE'");
            assertThat(sqlline(url, dir, "!columns sales")).contains("'revenue'").contains("'product_category'");

            for (ExampleQueries.Example e : ExampleQueries.forProject(TestingWarehouse.ROOT)) {
                String out = sqlline(url, dir, e.sql().replace('\n', ' ') + ";");
                List<List<Object>> rows = csvRows(out);
                assertThat(rows).as(e.name() + "\n" + out).isEqualTo(direct(db, e.direct()));
            }
        }
    }

    private static String sqlline(String url, Path dir, String script) throws IOException {
        Path file = Files.writeString(Files.createTempFile(dir, "script", ".sql"), script + "\n");
        SqlLine shell = new SqlLine();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        shell.setOutputStream(out);
        shell.setErrorStream(err);
        SqlLine.Status status = shell.begin(new String[] {"-d", "org.apache.calcite.avatica.remote.Driver",
                "-u", url, "-n", "ana", "-p", "ana-secret", "--outputformat=csv", "--showHeader=true",
                "--silent=true", "--run=" + file}, new ByteArrayInputStream(new byte[0]), false);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text + err.toString(StandardCharsets.UTF_8)).isEqualTo(SqlLine.Status.OK);
        return text;
    }

    /** The rows of sqlline's CSV output (after the header), numbers as 6-decimal BigDecimal. */
    private static List<List<Object>> csvRows(String out) {
        List<List<Object>> rows = new ArrayList<>();
        boolean header = true;
        for (String line : out.split("\\R")) {
            if (!line.startsWith("'")) {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            List<Object> row = new ArrayList<>();
            for (String cell : line.substring(1, line.length() - 1).split("','", -1)) {
                row.add(value(cell));
            }
            rows.add(row);
        }
        return rows;
    }

    private static Object value(String cell) {
        if (cell.isEmpty()) {
            return null;
        }
        if (cell.equals("true") || cell.equals("false")) {
            return Boolean.valueOf(cell);
        }
        if (cell.matches("-?\\d+(\\.\\d+)?([eE]-?\\d+)?")) {
            return TestingWarehouse.normalize(new BigDecimal(cell));
        }
        return cell;
    }
}
