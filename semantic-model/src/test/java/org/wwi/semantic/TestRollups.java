package org.wwi.semantic;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.semantic.Catalog.Column;
import org.wwi.semantic.Catalog.MemberRef;
import org.wwi.semantic.Catalog.RollupModel;
import org.wwi.semantic.Catalog.ViewModel;
import org.wwi.semantic.bench.ExampleQueries;
import org.wwi.testkit.WwiPostgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wwi.semantic.TestingWarehouse.direct;
import static org.wwi.semantic.TestingWarehouse.normalize;

/** Aggregate navigation: rollups answer what they cover, with the detail tables' numbers. */
@ExtendWith(WwiPostgres.class)
class TestRollups {
    private static final Principal OPERATOR = Principal.operator();
    private static Database db;
    private static SemanticLayer layer;

    @BeforeAll
    static void setUp(Database database) {
        db = database;
        TestingWarehouse.fill(db);
        layer = SemanticLayer.open(db, TestingWarehouse.model(), SemanticLayer.Options.defaults()
                .withStateTtl(Duration.ZERO));
        List<Rollups.Build> builds = layer.rollups().buildAll(Rollups.BuildOptions.defaults(), Progress.none());
        assertThat(builds).hasSize(9).allSatisfy(b -> assertThat(b.rows()).isPositive());
    }

    @AfterAll
    static void tearDown() {
        layer.close();
    }

    @Test
    void everyExampleCoveredByARollupIsAnsweredFromItWithTheDetailNumbers() {
        for (ExampleQueries.Example e : ExampleQueries.forProject(TestingWarehouse.ROOT)) {
            String plan = layer.explain(e.sql(), OPERATOR);
            if (e.rollup().isPresent()) {
                // the named rollup answers at benchmark scale; on the small test data a smaller one may win
                assertThat(plan).as(e.name()).contains("JdbcTableScan(table=[[mart, ").contains("-- rollups used: ")
                        .doesNotContain("[[dw, ");
            } else {
                assertThat(plan).as(e.name()).contains("-- no rollup used");
            }
            List<List<Object>> fromRollups = normalize(layer.sql(e.sql(), OPERATOR, true).rows());
            assertThat(fromRollups).as(e.name()).isEqualTo(normalize(layer.sql(e.sql(), OPERATOR, false).rows()))
                    .isEqualTo(direct(db, e.direct()));
        }
    }

    /** For every shipped rollup: a query at its grain over all its measures, read from it and from the detail. */
    @Test
    void everyShippedRollupGivesTheSameNumbersAsTheDetailTables() {
        for (RollupModel r : layer.catalog.rollups.values()) {
            ViewModel view = layer.catalog.views.values().stream().filter(v -> v.cube().equals(r.cube())).findFirst()
                    .orElseThrow();
            List<String> dims = new ArrayList<>();
            for (MemberRef k : r.keys()) {
                dims.add(column(view, k).name());
            }
            List<String> measures = new ArrayList<>();
            for (Catalog.Measure m : r.requested()) {
                measures.add("measure(" + column(view, new MemberRef(Catalog.JoinPath.ROOT, r.cube(), m.name())).name()
                        + ")");
            }
            String select = String.join(", ", dims) + (dims.isEmpty() ? "" : ", ") + String.join(", ", measures);
            String sql = "select " + select + " from " + view.name()
                    + (dims.isEmpty() ? "" : " group by " + String.join(", ", dims) + " order by "
                    + String.join(", ", dims));
            assertThat(layer.explain(sql, OPERATOR)).as(sql).contains("-- rollups used: " + r.name());
            List<List<Object>> detail = normalize(layer.sql(sql, OPERATOR, false).rows());
            assertThat(detail).as(sql).isNotEmpty();
            assertThat(normalize(layer.sql(sql, OPERATOR, true).rows())).as(sql).isEqualTo(detail);
            // coarser: additive measures re-aggregate over the rollup's first dimension
            if (dims.size() > 1 && r.stored().stream().noneMatch(m -> m.type() == ModelDef.MeasureType.COUNT_DISTINCT)) {
                String coarse = "select " + dims.get(0) + ", " + String.join(", ", measures) + " from " + view.name()
                        + " group by " + dims.get(0) + " order by " + dims.get(0);
                assertThat(layer.explain(coarse, OPERATOR)).as(coarse).contains("-- rollups used:");
                assertThat(normalize(layer.sql(coarse, OPERATOR, true).rows())).as(coarse)
                        .isEqualTo(normalize(layer.sql(coarse, OPERATOR, false).rows()));
            }
        }
    }

    private static Column column(ViewModel view, MemberRef ref) {
        return view.columns().stream().filter(c -> c.ref().equals(ref)).findFirst()
                .orElseThrow(() -> new AssertionError(ref + " not in view " + view.name()));
    }

    @Test
    void distinctCountsAreReadFromARollupOnlyAtItsGrain() {
        String byChannel = "select channel_name, measure(conversion_rate) from web_events group by 1";
        assertThat(layer.explain(byChannel, OPERATOR)).contains("-- rollups used: conversion_by_channel");

        String byMonth = "select date_month, measure(sessions) from web_events group by 1 order by 1";
        String plan = layer.explain(byMonth, OPERATOR);
        assertThat(plan).contains("-- no rollup used").contains("conversion_by_channel_month: distinct counts are "
                + "stored per [channel.name, date.month] and cannot be re-added over [channel.name]");
        // the channel fixed by a filter: the monthly rollup's rows are then exactly the months
        String pinned = "select date_month, measure(sessions) from web_events where channel_name = 'Web' "
                + "group by 1 order by 1";
        assertThat(layer.explain(pinned, OPERATOR)).contains("-- rollups used: conversion_by_channel_month");
        assertThat(normalize(layer.sql(pinned, OPERATOR, true).rows()))
                .isEqualTo(normalize(layer.sql(pinned, OPERATOR, false).rows()));
        // a coarser time level derived from the stored month still needs the detail for a distinct count
        assertThat(layer.explain("select date_year, measure(visitors) from web_events group by 1", OPERATOR))
                .contains("-- no rollup used");
    }

    @Test
    void statusReportsEveryRollupFresh() {
        assertThat(layer.rollups().status()).hasSize(9).allSatisfy(s -> {
            assertThat(s.state()).isEqualTo("fresh");
            assertThat(s.builtHighWater()).isEqualTo(s.factHighWater());
        });
        assertThat(direct(db, "select count(*) from pg_tables where schemaname = 'mart' and "
                + "(tablename like '%\\_\\_new' or tablename like '%\\_\\_old')")).containsExactly(List.of(normalize(0)));
    }

    @Test
    void rollupsAreNotUsedByViewsTheyDoNotStoreTheDimensionsOf() {
        String plan = layer.explain("select product_list_price, measure(revenue) from sales group by 1", OPERATOR);
        assertThat(plan).contains("-- no rollup used").contains("does not store [product.list_price]");
        assertThat(layer.explain("select date_day, measure(events) from web_events where date_day >= date "
                + "'2026-03-01' group by 1", OPERATOR)).contains("-- rollups used: funnel_by_action_day");
    }
}
