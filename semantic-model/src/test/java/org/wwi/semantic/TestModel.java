package org.wwi.semantic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Model files: what the shipped model holds, and errors that name the file, line, path and fix. */
class TestModel {
    private static final String BASE = """
            cubes:
              sales:
                sql_table: dw.fact_sales
                joins:
                  product: {relationship: many_to_one, sql: "{CUBE}.product_key = {product}.product_key"}
                dimensions:
                  order_id: {sql: order_id}
                measures:
                  revenue: {type: sum, sql: total}
                  orders: {type: count_distinct, sql: order_id}
                  average_order_value: {type: number, sql: "{revenue} / {orders}"}
              product:
                sql_table: dw.dim_product
                dimensions:
                  category: {sql: category}
                  name: {sql: product_name}
            views:
              sales:
                cube: sales
                include: [revenue, orders, average_order_value, product.*]
            """;

    private static SemanticException error(String yaml) {
        try {
            SemanticModel.parse("models/test.yaml", yaml);
        } catch (SemanticException e) {
            return e;
        }
        throw new AssertionError("expected an error");
    }

    @Test
    void theShippedModelHasTheWwiViewsRolesAndRollups() {
        SemanticModel m = SemanticModel.load(TestingWarehouse.ROOT.resolve(SemanticModel.FOLDER));
        assertThat(m.viewNames()).containsExactly("sales", "web_events", "customers", "recommendations", "elastic_jobs");
        assertThat(m.roleNames()).containsExactly("analyst", "regional_manager", "marketing");
        assertThat(m.rollupNames()).hasSize(9).contains("sales_by_channel_month", "conversion_by_channel",
                "visitors_by_region", "funnel_by_action_day");
        assertThat(m.files()).containsExactly("models/dimensions.yaml", "models/operations.yaml", "models/roles.yaml", "models/rollups.yaml",
                "models/sales.yaml", "models/views.yaml", "models/web_events.yaml");
        Catalog.ViewModel sales = m.catalog.views.get("sales");
        assertThat(sales.member("product.category")).map(Catalog.Column::name).contains("product_category");
        assertThat(sales.member("date.fiscal_quarter")).map(Catalog.Column::name).contains("date_fiscal_quarter");
        assertThat(sales.column("average_order_value")).map(Catalog.Column::measureType)
                .contains(java.util.Optional.of(ModelDef.MeasureType.NUMBER));
        // a month rollup also stores the coarser calendar and fiscal levels
        assertThat(m.catalog.rollups.get("sales_by_channel_month").dimensions()).extracting(Object::toString)
                .containsExactly("channel.name", "date.month", "date.year", "date.quarter", "date.fiscal_year",
                        "date.fiscal_quarter");
        // derived measures are stored through the measures they use
        assertThat(m.catalog.rollups.get("conversion_by_channel").stored()).extracting(Catalog.Measure::name)
                .containsExactly("sessions", "purchase_sessions", "cart_sessions");
        assertThat(SemanticModel.shipped().viewNames()).isEqualTo(m.viewNames());
    }

    @Test
    void aValidModelLoads() {
        SemanticModel m = SemanticModel.parse("models/test.yaml", BASE);
        assertThat(m.catalog.views.get("sales").columns()).extracting(Catalog.Column::name)
                .containsExactly("revenue", "orders", "average_order_value", "product_category", "product_name");
    }

    @Test
    void errorsNameTheFileTheLineThePathAndTheFix() {
        assertThat(error(BASE.replace("type: sum", "type: summ")).getMessage()).isEqualTo("Cannot load semantic "
                + "model: models/test.yaml:9 (cubes.sales.measures.revenue.type): unknown measure type 'summ' "
                + "(did you mean 'sum'? expected one of: sum, count, count_distinct, avg, min, max, number)");
        assertThat(error(BASE.replace("sql_table: dw.fact_sales", "sql_tabel: dw.fact_sales")).getMessage())
                .contains("models/test.yaml:3 (cubes.sales.sql_tabel): unknown key 'sql_tabel'")
                .contains("did you mean 'sql_table'?");
        assertThat(error(BASE.replace("include: [revenue,", "include: [revenu,")).getMessage())
                .contains("(views.sales.include[0]): cube sales has no member 'revenu'")
                .contains("did you mean 'revenue'?");
        assertThat(error(BASE.replace("product.*]", "produkt.*]")).getMessage())
                .contains("cube sales has no join 'produkt'").contains("did you mean 'product'?");
        assertThat(error(BASE.replace("{revenue} / {orders}", "{revenue} / {order}")).getMessage())
                .contains("(cubes.sales.measures.average_order_value.sql): unknown measure {order}")
                .contains("did you mean 'orders'?");
        assertThat(error(BASE.replace("{revenue} / {orders}", "{revenue} / {average_order_value}")).getMessage())
                .contains("measures refer to each other in a cycle: average_order_value -> average_order_value");
        assertThat(error(BASE.replace("{revenue} / {orders}", "sqrt({revenue})")).getMessage())
                .contains("'SQRT(\"revenue\")' is not allowed in a number measure");
        assertThat(error(BASE.replace("sql: total", "sql: total * quantity")).getMessage())
                .contains("expression 'total * quantity' does not refer to the cube")
                .contains("write columns as {CUBE}.column");
        assertThat(error(BASE.replace("{product}.product_key", "{produkt}.product_key")).getMessage())
                .contains("(cubes.sales.joins.product.sql): unknown reference {produkt} in join SQL");
        assertThat(error(BASE.replace("relationship: many_to_one", "relationship: many_to_many")).getMessage())
                .contains("unknown relationship 'many_to_many'");
        assertThat(error(BASE.replace("    sql_table: dw.dim_product\n", "")).getMessage())
                .contains("(cubes.product): a cube needs exactly one of sql_table or sql");
        assertThat(error(BASE + "    description: [unclosed\n").getMessage())
                .startsWith("Cannot read semantic model: models/test.yaml:").contains("fix the YAML syntax");
        assertThat(error(BASE.replace("  product:\n    sql_table", "  Product:\n    sql_table")).getMessage())
                .contains("'Product' is not a valid name");
    }

    @Test
    void rolesRollupsAndHierarchiesAreChecked() {
        assertThat(error(BASE + "roles:\n  manager:\n    views: [sales, salez]\n").getMessage())
                .contains("(roles.manager.views): unknown view 'salez'").contains("did you mean 'sales'?");
        assertThat(error(BASE + "roles:\n  manager:\n    views: [sales]\n    row_filter: \"{product.categry} = "
                + "{user.category}\"\n").getMessage()).contains("unknown dimension {product.categry}");
        assertThat(error(BASE + "rollups:\n  r:\n    cube: sales\n    measures: [revenue]\n    dimensions: "
                + "[product.categori]\n").getMessage())
                .contains("(rollups.r.dimensions): cube product has no dimension 'categori'")
                .contains("did you mean 'category'?");
        assertThat(error(BASE + "rollups:\n  r:\n    cube: sales\n    measures: [revenues]\n").getMessage())
                .contains("cube sales has no measure 'revenues'");
        assertThat(error(BASE.replace("      name: {sql: product_name}", "      name: {sql: product_name}\n"
                + "    hierarchies:\n      catalog: [category, nom]")).getMessage())
                .contains("(cubes.product.hierarchies.catalog): unknown level 'nom'");
    }

    @Test
    void namesAreUniqueAcrossFiles(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), BASE);
        Files.writeString(dir.resolve("b.yaml"), "cubes:\n  sales:\n    sql_table: dw.fact_sales\n");
        assertThatThrownBy(() -> SemanticModel.load(dir)).hasMessageContaining("cube 'sales' is already defined at "
                + dir.getFileName() + "/a.yaml:3");
        Path empty = dir.resolve("empty");
        Files.createDirectory(empty);
        assertThatThrownBy(() -> SemanticModel.load(empty)).hasMessageContaining("no *.yaml file in");
    }
}
