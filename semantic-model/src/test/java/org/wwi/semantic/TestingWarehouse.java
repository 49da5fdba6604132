package org.wwi.semantic;

import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.semantic.bench.FactFixture;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Test fixture: a migrated warehouse filled by {@link FactFixture}, and the shipped model. */
final class TestingWarehouse {
    static final Path ROOT = Path.of(System.getProperty("wwi.test.root", "..")).toAbsolutePath().normalize();
    static final FactFixture.Spec SMALL = new FactFixture.Spec(20_000, 400, 60, LocalDate.of(2026, 1, 1), 120, 7);

    private TestingWarehouse() {
    }

    static void fill(Database db) {
        Migrations.forProject(ROOT).migrate(db);
        FactFixture.generate(db, SMALL, Progress.none());
    }

    static SemanticModel model() {
        return SemanticModel.load(ROOT.resolve(SemanticModel.FOLDER));
    }

    /** Rows of a query sent straight to PostgreSQL, numbers normalized for comparison. */
    static List<List<Object>> direct(Database db, String sql) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            return rows(rs);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    static List<List<Object>> rows(ResultSet rs) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            List<Object> row = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                row.add(normalize(rs.getObject(i)));
            }
            out.add(row);
        }
        return out;
    }

    static List<List<Object>> normalize(List<List<Object>> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> r : rows) {
            List<Object> row = new ArrayList<>();
            r.forEach(v -> row.add(normalize(v)));
            out.add(row);
        }
        return out;
    }

    /** Numbers as BigDecimal rounded to 6 places (double ratios vs numeric), everything else as is. */
    static Object normalize(Object v) {
        if (v instanceof Number n) {
            return new BigDecimal(n.toString()).setScale(6, java.math.RoundingMode.HALF_UP);
        }
        return v;
    }
}
