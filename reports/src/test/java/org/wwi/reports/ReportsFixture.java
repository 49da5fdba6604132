package org.wwi.reports;

import org.wwi.jobs.JobsDemo;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.semantic.SemanticLayer;
import org.wwi.semantic.SemanticModel;
import org.wwi.semantic.Rollups;
import org.wwi.semantic.bench.FactFixture;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A warehouse for the report tests: sales and web events of 60 days ({@link FactFixture}), the
 * semantic model's rollups, recommendations for user 3696, and the shipped elastic jobs run on
 * the tenant databases (so the health page has executions).
 */
final class ReportsFixture {
    static final Path ROOT = Path.of(System.getProperty("wwi.test.root", "..")).toAbsolutePath().normalize();
    static final FactFixture.Spec SPEC = new FactFixture.Spec(20_000, 400, 60, LocalDate.of(2026, 7, 1), 60, 11);
    static final int USER = 3696;

    private ReportsFixture() {
    }

    static void fill(Database db, Path stateDir) {
        Migrations.forProject(ROOT).migrate(db);
        FactFixture.generate(db, SPEC, Progress.none());
        execute(db, "insert into mart.user_recommendations (user_id, rank, product_id, prediction, load_run_id) "
                + "select u, r, p.product_id, 5 - r * 0.25, 0 from (select product_id, row_number() over "
                + "(order by product_id) as r from dw.dim_product where is_current) p, "
                + "(values (" + USER + "), (42)) as users(u) where r <= 10");
        try {
            Files.createDirectories(stateDir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        JobsDemo.run(db, ROOT, stateDir);
    }

    static SemanticLayer layer(Database db) {
        SemanticLayer layer = SemanticLayer.open(db, SemanticModel.forProject(ROOT));
        layer.rollups().buildAll(Rollups.BuildOptions.defaults(), Progress.none());
        return layer;
    }

    static Reports reports(SemanticLayer layer) {
        return Reports.open(layer, Reports.load(ROOT.resolve(Reports.FOLDER)));
    }

    static void execute(Database db, String sql) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Rows of a query sent straight to PostgreSQL; numbers as BigDecimal without trailing zeros. */
    static List<List<Object>> direct(Database db, String sql) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
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
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    static Object normalize(Object v) {
        if (v instanceof BigDecimal b) {
            return b.setScale(Math.min(b.scale(), 6), java.math.RoundingMode.HALF_UP).stripTrailingZeros();
        }
        if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) {
            return new BigDecimal(n.toString()).stripTrailingZeros();
        }
        if (v instanceof Double || v instanceof Float) {
            return BigDecimal.valueOf(((Number) v).doubleValue()).setScale(6, java.math.RoundingMode.HALF_UP)
                    .stripTrailingZeros();
        }
        return v == null ? null : v.toString();
    }

    static List<List<Object>> normalize(List<List<Object>> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> r : rows) {
            out.add(r.stream().map(ReportsFixture::normalize).toList());
        }
        return out;
    }
}
