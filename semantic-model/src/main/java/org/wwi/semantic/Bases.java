package org.wwi.semantic;

import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;
import org.apache.calcite.tools.RelBuilder;
import org.wwi.semantic.Catalog.CubeModel;
import org.wwi.semantic.Catalog.JoinPath;
import org.wwi.semantic.Catalog.Measure;
import org.wwi.semantic.Catalog.MemberRef;
import org.wwi.semantic.Catalog.RollupModel;
import org.wwi.semantic.ModelDef.Join;
import org.wwi.semantic.ModelDef.MeasureType;
import org.wwi.semantic.ModelDef.Relationship;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;

import static java.util.Objects.requireNonNull;

/**
 * The rows a semantic aggregate starts from, as SQL over the warehouse converted to relational
 * algebra in the query's cluster: the star join of the detail tables (only the joins the query
 * needs) or a rollup table, with the role's row filter applied to the rows themselves.
 * Output: the dimensions asked for, then the inputs of each measure.
 */
final class Bases {
    private Bases() {
    }

    /**
     * @param rel       the relational expression
     * @param dimPos    position of each dimension
     * @param measurePos positions of each measure's inputs (two for avg from a rollup: sum, count)
     * @param rollup    the rollup it reads, or empty for the detail tables
     * @param sql       the SQL it was made from (for EXPLAIN and errors)
     */
    record Base(RelNode rel, Map<MemberRef, Integer> dimPos, Map<MemberRef, int[]> measurePos,
                Optional<RollupModel> rollup, String sql) {
    }

    /** A row filter as a SQL template over members, e.g. {@code {customer.region} = 'Europe'}. */
    record RowFilter(String template, List<MemberRef> members) {
        String resolve(Function<MemberRef, String> memberSql) {
            Matcher m = Catalog.REF.matcher(template);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String key = m.group(1);
                MemberRef ref = members.stream().filter(r -> (r.cube() + "." + r.member()).equals(key)).findFirst()
                        .orElseThrow();
                m.appendReplacement(b, Matcher.quoteReplacement("(" + memberSql.apply(ref) + ")"));
            }
            m.appendTail(b);
            return b.toString();
        }
    }

    // ------------------------------------------------------------- detail

    /** Generated SQL and where its columns are. */
    record GeneratedSql(String text, Map<MemberRef, Integer> dimPos, Map<MemberRef, int[]> measurePos) {
    }

    static Base detail(Catalog catalog, String root, List<MemberRef> dims, List<MemberRef> measures,
                       Optional<RowFilter> rowFilter, Converter converter) {
        GeneratedSql g = detailSql(catalog, root, dims, measures, rowFilter);
        return new Base(converter.toRel(g.text()), g.dimPos(), g.measurePos(), Optional.empty(), g.text());
    }

    /** The star join with only the joins needed, selecting dimensions then measure inputs. */
    static GeneratedSql detailSql(Catalog catalog, String root, List<MemberRef> dims, List<MemberRef> measures,
                                  Optional<RowFilter> rowFilter) {
        TreeSet<String> pathKeys = new TreeSet<>();
        List<JoinPath> joins = new ArrayList<>();
        Function<JoinPath, Void> need = p -> {
            for (int i = 1; i <= p.joins().size(); i++) {
                JoinPath prefix = new JoinPath(p.joins().subList(0, i));
                if (pathKeys.add(prefix.dotted())) {
                    joins.add(prefix);
                }
            }
            return null;
        };
        dims.forEach(d -> need.apply(d.path()));
        measures.forEach(m -> need.apply(m.path()));
        rowFilter.ifPresent(f -> f.members().forEach(m -> need.apply(m.path())));
        joins.sort(java.util.Comparator.comparingInt((JoinPath p) -> p.joins().size()).thenComparing(JoinPath::dotted));

        for (MemberRef m : measures) {
            checkFanOut(catalog, root, joins, m);
        }

        StringBuilder sql = new StringBuilder("SELECT ");
        Map<MemberRef, Integer> dimPos = new LinkedHashMap<>();
        Map<MemberRef, int[]> measurePos = new LinkedHashMap<>();
        List<String> items = new ArrayList<>();
        for (MemberRef d : dims) {
            dimPos.put(d, items.size());
            items.add(dimensionSql(catalog, root, d) + " AS " + Catalog.quote("c" + items.size()));
        }
        for (MemberRef m : measures) {
            measurePos.put(m, new int[] {items.size()});
            Measure measure = catalog.cubeAt(root, m.path()).measures().get(m.member());
            items.add(measureInput(measure, alias(root, m.path())) + " AS " + Catalog.quote("c" + items.size()));
        }
        if (items.isEmpty()) {
            items.add("1 AS \"c0\"");
        }
        sql.append(String.join(", ", items));
        sql.append(" FROM ").append(catalog.cube(root).fromSql()).append(" AS ").append(alias(root, JoinPath.ROOT));
        for (JoinPath p : joins) {
            CubeModel parent = catalog.cubeAt(root, p.parent());
            String name = p.joins().get(p.joins().size() - 1);
            Join j = parent.joins().get(name);
            CubeModel target = catalog.cube(j.target());
            String on = j.sql().replace("{CUBE}", alias(root, p.parent())).replace("{" + j.target() + "}",
                    alias(root, p));
            sql.append(" LEFT JOIN ").append(target.fromSql()).append(" AS ").append(alias(root, p))
                    .append(" ON ").append(on);
        }
        rowFilter.ifPresent(f -> sql.append(" WHERE ").append(f.resolve(m -> dimensionSql(catalog, root, m))));
        return new GeneratedSql(sql.toString(), dimPos, measurePos);
    }

    static String alias(String root, JoinPath p) {
        return Catalog.quote(p.isRoot() ? root : root + "__" + String.join("__", p.joins()));
    }

    static String dimensionSql(Catalog catalog, String root, MemberRef d) {
        return "(" + catalog.cubeAt(root, d.path()).dims().get(d.member()).sql().replace("{CUBE}",
                alias(root, d.path())) + ")";
    }

    /** The per-row input of a base measure: its SQL (or 1), kept only on rows passing its filters. */
    static String measureInput(Measure m, String alias) {
        String value = m.sql().map(s -> "(" + s.replace("{CUBE}", alias) + ")").orElse("1");
        if (m.filters().isEmpty()) {
            return value;
        }
        List<String> conditions = m.filters().stream().map(f -> "(" + f.replace("{CUBE}", alias) + ")").toList();
        return "CASE WHEN " + String.join(" AND ", conditions) + " THEN " + value + " END";
    }

    /**
     * Refuses a measure whose rows the joins repeat: a many_to_one join repeats the joined cube's
     * rows once per row of its parent; a one_to_many join repeats every row outside the joined
     * cube. Sums and counts would be inflated; distinct counts, min and max are not affected.
     */
    private static void checkFanOut(Catalog catalog, String root, List<JoinPath> joins, MemberRef ref) {
        Measure m = catalog.cubeAt(root, ref.path()).measures().get(ref.member());
        if (m.duplicateInsensitive()) {
            return;
        }
        for (JoinPath p : joins) {
            Join j = catalog.cubeAt(root, p.parent()).joins().get(p.joins().get(p.joins().size() - 1));
            boolean inside = p.contains(ref.path());
            if (j.relationship() == Relationship.MANY_TO_ONE && inside
                    || j.relationship() == Relationship.ONE_TO_MANY && !inside) {
                throw new SemanticException(SemanticErrorCode.QUERY_REFUSED, "Cannot compute measure " + ref
                        + " (" + m.type().sqlName() + "): the " + j.relationship().name().toLowerCase(java.util.Locale.ROOT)
                        + " join " + p.dotted() + " repeats the rows of cube " + m.cube() + ", so the "
                        + m.type().sqlName() + " would count them several times (query it from a view over cube "
                        + m.cube() + ", or use a count_distinct measure)");
            }
        }
    }

    // ------------------------------------------------------------- rollups

    static Base rollup(Catalog catalog, RollupModel r, List<MemberRef> dims, List<MemberRef> measures,
                       Optional<RowFilter> rowFilter, Converter converter) {
        Map<MemberRef, Integer> dimPos = new LinkedHashMap<>();
        Map<MemberRef, int[]> measurePos = new LinkedHashMap<>();
        List<String> items = new ArrayList<>();
        for (MemberRef d : dims) {
            dimPos.put(d, items.size());
            items.add(Catalog.quote(RollupModel.dimColumn(d)) + " AS " + Catalog.quote("c" + items.size()));
        }
        for (MemberRef m : measures) {
            Measure measure = catalog.cube(r.cube()).measures().get(m.member());
            List<String> cols = storedColumns(measure);
            int[] pos = new int[cols.size()];
            for (int i = 0; i < cols.size(); i++) {
                pos[i] = items.size();
                items.add(Catalog.quote(cols.get(i)) + " AS " + Catalog.quote("c" + items.size()));
            }
            measurePos.put(m, pos);
        }
        if (items.isEmpty()) {
            items.add("1 AS \"c0\"");
        }
        StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", items)).append(" FROM ")
                .append(Catalog.quoteQualified(r.table()));
        rowFilter.ifPresent(f -> sql.append(" WHERE ").append(f.resolve(m -> Catalog.quote(RollupModel.dimColumn(m)))));
        String text = sql.toString();
        return new Base(converter.toRel(text), dimPos, measurePos, Optional.of(r), text);
    }

    /** The rollup table columns that store a base measure. */
    static List<String> storedColumns(Measure m) {
        return m.type() == MeasureType.AVG ? List.of(m.name() + "__sum", m.name() + "__count") : List.of(m.name());
    }

    // ------------------------------------------------------------- SQL to relational algebra

    /** Converts generated SQL over the warehouse into relational algebra in a given cluster. */
    static final class Converter {
        private static final SqlOperatorTable OPERATORS = SqlLibraryOperatorTableFactory.INSTANCE
                .getOperatorTable(SqlLibrary.STANDARD, SqlLibrary.POSTGRESQL);

        private final RelOptCluster cluster;
        private final CalciteCatalogReader catalogReader;

        Converter(RelOptCluster cluster, CalciteCatalogReader catalogReader) {
            this.cluster = requireNonNull(cluster, "cluster is null");
            this.catalogReader = requireNonNull(catalogReader, "catalogReader is null");
        }

        RelNode toRel(String sql) {
            SqlNode node;
            try {
                node = SqlParser.create(sql, QueryCompiler.parserConfig()).parseQuery();
            } catch (SqlParseException e) {
                throw new SemanticException(SemanticErrorCode.MODEL_INVALID, "Cannot parse SQL generated from the "
                        + "model: " + Catalog.firstLine(e.getMessage()) + " in: " + sql, e);
            }
            SqlValidator validator = SqlValidatorUtil.newValidator(OPERATORS, catalogReader,
                    cluster.getTypeFactory(), QueryCompiler.validatorConfig());
            SqlNode validated;
            try {
                validated = validator.validate(node);
            } catch (RuntimeException e) {
                throw new SemanticException(SemanticErrorCode.MODEL_INVALID, "Cannot use the model on this "
                        + "warehouse: " + Catalog.firstLine(e.getMessage()) + " in: " + sql, e);
            }
            SqlToRelConverter converter = new SqlToRelConverter(NO_VIEWS, validator, catalogReader, cluster,
                    StandardConvertletTable.INSTANCE, SqlToRelConverter.config().withTrimUnusedFields(false));
            RelRoot root = converter.convertQuery(validated, false, true);
            return normalize(root.project(), cluster);
        }

        /** The row type of a query, by validation only (no conversion). */
        RelDataType typeOf(String sql) {
            SqlNode node;
            try {
                node = SqlParser.create(sql, QueryCompiler.parserConfig()).parseQuery();
            } catch (SqlParseException e) {
                throw new SemanticException(SemanticErrorCode.MODEL_INVALID, "Cannot parse SQL generated from the "
                        + "model: " + Catalog.firstLine(e.getMessage()) + " in: " + sql, e);
            }
            SqlValidator validator = SqlValidatorUtil.newValidator(OPERATORS, catalogReader,
                    cluster.getTypeFactory(), QueryCompiler.validatorConfig());
            try {
                return validator.getValidatedNodeType(validator.validate(node));
            } catch (RuntimeException e) {
                throw new SemanticException(SemanticErrorCode.MODEL_INVALID, "Cannot use the model on this "
                        + "warehouse: " + Catalog.firstLine(e.getMessage()) + " in: " + sql, e);
            }
        }
    }

    /** Turns sub-queries into joins and removes correlation, so only plain operators remain. */
    static RelNode normalize(RelNode rel, RelOptCluster cluster) {
        HepProgram program = HepProgram.builder()
                .addRuleCollection(List.of(CoreRules.FILTER_SUB_QUERY_TO_CORRELATE,
                        CoreRules.PROJECT_SUB_QUERY_TO_CORRELATE, CoreRules.JOIN_SUB_QUERY_TO_CORRELATE))
                .build();
        HepPlanner hep = new HepPlanner(program);
        hep.setRoot(rel);
        RelNode r = hep.findBestExp();
        RelBuilder builder = RelFactories.LOGICAL_BUILDER.create(cluster, null);
        r = RelDecorrelator.decorrelateQuery(r, builder);
        return r.accept(new SemiJoins());
    }

    /**
     * An inner join that only keeps rows of its left side with a match among unique right keys
     * (what {@code IN (SELECT ...)} becomes) is a semi-join: it filters rows without changing the
     * grain, so the semantic rewrite can treat it as a filter on the view.
     */
    private static final class SemiJoins extends org.apache.calcite.rel.RelHomogeneousShuttle {
        @Override
        public RelNode visit(RelNode other) {
            RelNode n = super.visit(other);
            if (n instanceof org.apache.calcite.rel.logical.LogicalProject p
                    && p.getInput() instanceof org.apache.calcite.rel.logical.LogicalJoin j
                    && j.getJoinType() == org.apache.calcite.rel.core.JoinRelType.INNER) {
                int left = j.getLeft().getRowType().getFieldCount();
                org.apache.calcite.util.ImmutableBitSet used =
                        org.apache.calcite.plan.RelOptUtil.InputFinder.bits(p.getProjects(), null);
                org.apache.calcite.rel.core.JoinInfo info = j.analyzeCondition();
                if (used.nextSetBit(left) < 0 && info.isEqui() && !info.leftKeys.isEmpty()
                        && Boolean.TRUE.equals(j.getCluster().getMetadataQuery().areColumnsUnique(j.getRight(),
                        org.apache.calcite.util.ImmutableBitSet.of(info.rightKeys)))) {
                    RelNode semi = org.apache.calcite.rel.logical.LogicalJoin.create(j.getLeft(), j.getRight(),
                            j.getHints(), j.getCondition(), j.getVariablesSet(),
                            org.apache.calcite.rel.core.JoinRelType.SEMI);
                    return p.copy(p.getTraitSet(), semi, p.getProjects(), p.getRowType());
                }
            }
            return n;
        }
    }

    private static final RelOptTable.ViewExpander NO_VIEWS = (rowType, queryString, schemaPath, viewPath) -> {
        throw new UnsupportedOperationException("views are not expanded here");
    };
}
