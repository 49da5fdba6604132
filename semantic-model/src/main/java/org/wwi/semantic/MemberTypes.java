package org.wwi.semantic;

import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.wwi.platform.yaml.Location;
import org.wwi.semantic.Catalog.CubeModel;
import org.wwi.semantic.Catalog.Dim;
import org.wwi.semantic.Catalog.Measure;
import org.wwi.semantic.ModelDef.DimensionType;
import org.wwi.semantic.ModelDef.Join;
import org.wwi.semantic.SemanticTable.TypeSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SQL type of every member, found by compiling each member's SQL against the warehouse:
 * this is also where a model that names a missing table or column fails, with the file, the
 * member and the fix.
 */
final class MemberTypes {
    private final Map<String, TypeSpec> types;

    private MemberTypes(Map<String, TypeSpec> types) {
        this.types = Map.copyOf(types);
    }

    TypeSpec of(String cube, String member) {
        TypeSpec t = types.get(cube + "." + member);
        if (t == null) {
            throw new SemanticException(SemanticErrorCode.INTERNAL, "Cannot find the type of " + cube + "." + member);
        }
        return t;
    }

    static MemberTypes check(Catalog catalog, Warehouse warehouse) {
        JavaTypeFactory typeFactory = Warehouse.typeFactory();
        VolcanoPlanner planner = new VolcanoPlanner(null, Contexts.of(Warehouse.CONFIG));
        planner.addRelTraitDef(ConventionTraitDef.INSTANCE);
        planner.addRelTraitDef(RelCollationTraitDef.INSTANCE);
        RelOptCluster cluster = RelOptCluster.create(planner, new RexBuilder(typeFactory));
        Bases.Converter converter = new Bases.Converter(cluster, warehouse.catalogReader(typeFactory));
        Map<String, TypeSpec> out = new LinkedHashMap<>();
        for (CubeModel c : catalog.cubes.values()) {
            String from = " FROM " + c.fromSql() + " AS " + Catalog.quote(c.name());
            type(converter, "SELECT 1" + from, c.def().location().child(c.def().table().isPresent() ? "sql_table"
                    : "sql"), "the table or query");
            for (Join j : c.joins().values()) {
                CubeModel target = catalog.cube(j.target());
                String on = j.sql().replace("{CUBE}", Catalog.quote(c.name()))
                        .replace("{" + j.target() + "}", Catalog.quote("j_" + j.target()));
                type(converter, "SELECT 1" + from + " LEFT JOIN " + target.fromSql() + " AS "
                        + Catalog.quote("j_" + j.target()) + " ON " + on, j.location().child("sql"), "the join");
            }
            for (Dim d : c.dims().values()) {
                String expr = d.sql().replace("{CUBE}", Catalog.quote(c.name()));
                RelDataType t = type(converter, "SELECT " + expr + " AS \"v\"" + from, d.location().child("sql"),
                        "the " + (d.kind() == Catalog.Kind.SEGMENT ? "segment" : "dimension")).getFieldList()
                        .get(0).getType();
                checkDimension(d, t);
                out.put(c.name() + "." + d.name(), nullable(TypeSpec.of(t)));
            }
            for (Measure m : c.measures().values()) {
                if (m.derived()) {
                    out.put(c.name() + "." + m.name(), new TypeSpec(SqlTypeName.DOUBLE, -1, -1, true));
                    continue;
                }
                String input = Bases.measureInput(m, Catalog.quote(c.name()));
                RelDataType t = type(converter, "SELECT " + input + " AS \"v\"" + from,
                        m.location().child("sql"), "the measure").getFieldList().get(0).getType();
                out.put(c.name() + "." + m.name(), measureType(m, t));
            }
        }
        return new MemberTypes(out);
    }

    private static RelDataType type(Bases.Converter converter, String sql, Location at, String what) {
        try {
            return converter.typeOf(sql);
        } catch (SemanticException e) {
            String cause = e.getCause() == null ? e.getMessage() : Catalog.firstLine(e.getCause().getMessage());
            cause = cause.replaceFirst("^From line \\d+, column \\d+ to line \\d+, column \\d+: ", "");
            throw at.error("cannot compile " + what + " on the warehouse: " + cause, "fix the SQL; it runs as: "
                    + sql);
        }
    }

    private static void checkDimension(Dim d, RelDataType t) {
        SqlTypeFamily f = t.getSqlTypeName().getFamily();
        boolean ok = switch (d.type()) {
            case STRING -> f == SqlTypeFamily.CHARACTER;
            case NUMBER -> f == SqlTypeFamily.NUMERIC;
            case BOOLEAN -> f == SqlTypeFamily.BOOLEAN;
            case TIME -> f == SqlTypeFamily.DATE || f == SqlTypeFamily.TIMESTAMP || f == SqlTypeFamily.TIME
                    || t.getSqlTypeName() == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
        };
        if (!ok) {
            throw d.location().child("type").error("dimension " + d.name() + " is declared "
                    + d.type().name().toLowerCase(java.util.Locale.ROOT) + " but its SQL gives " + t.getFullTypeString(),
                    "set type: " + suggest(t) + ", or cast the SQL");
        }
    }

    private static String suggest(RelDataType t) {
        SqlTypeFamily f = t.getSqlTypeName().getFamily();
        if (f == SqlTypeFamily.NUMERIC) {
            return "number";
        }
        if (f == SqlTypeFamily.BOOLEAN) {
            return "boolean";
        }
        if (f == SqlTypeFamily.DATE || f == SqlTypeFamily.TIMESTAMP) {
            return DimensionType.TIME.name().toLowerCase(java.util.Locale.ROOT);
        }
        return "string";
    }

    private static TypeSpec measureType(Measure m, RelDataType input) {
        SqlTypeName n = input.getSqlTypeName();
        return switch (m.type()) {
            case COUNT, COUNT_DISTINCT -> new TypeSpec(SqlTypeName.BIGINT, -1, -1, false);
            case AVG, NUMBER -> numeric(m, input, new TypeSpec(SqlTypeName.DOUBLE, -1, -1, true));
            case MIN, MAX -> nullable(TypeSpec.of(input));
            case SUM -> switch (n) {
                case TINYINT, SMALLINT, INTEGER, BIGINT -> new TypeSpec(SqlTypeName.BIGINT, -1, -1, true);
                case DECIMAL -> new TypeSpec(SqlTypeName.DECIMAL, 38, Math.max(0, input.getScale()), true);
                case FLOAT, REAL, DOUBLE -> new TypeSpec(SqlTypeName.DOUBLE, -1, -1, true);
                default -> throw m.location().child("sql").error("cannot sum " + input.getFullTypeString(),
                        "sum a numeric column, or use type count");
            };
        };
    }

    private static TypeSpec numeric(Measure m, RelDataType input, TypeSpec result) {
        if (input.getSqlTypeName().getFamily() != SqlTypeFamily.NUMERIC) {
            throw m.location().child("sql").error("cannot average " + input.getFullTypeString(),
                    "average a numeric column");
        }
        return result;
    }

    private static TypeSpec nullable(TypeSpec t) {
        return new TypeSpec(t.name(), t.precision(), t.scale(), true);
    }
}
