package org.wwi.semantic;

import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.adapter.jdbc.JdbcImplementor;
import org.apache.calcite.adapter.jdbc.JdbcRel;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.rel2sql.RelToSqlConverter;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlExplainLevel;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.tools.RelBuilderFactory;
import java.util.stream.Stream;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.sql.util.SqlString;
import org.wwi.semantic.SemanticTable.TypeSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Compiles one SQL statement from a client into one PostgreSQL statement: parse (refusing
 * anything but queries), validate against the semantic views the principal may see, convert to
 * relational algebra, rewrite the views to the warehouse ({@link SemanticRewriter}), plan with the
 * JDBC adapter and the PostgreSQL dialect, and unparse what was pushed down.
 */
final class QueryCompiler {
    private static final SqlOperatorTable OPERATORS = SqlOperatorTables.chain(
            SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(SqlLibrary.STANDARD, SqlLibrary.POSTGRESQL),
            SqlOperatorTables.of(MeasureFunction.INSTANCE));

    /** What a statement compiles to. */
    enum Kind { QUERY, EXPLAIN }

    /** A result column: its name and type. */
    record OutputColumn(String name, TypeSpec type) {
    }

    /**
     * @param sql            the client's SQL
     * @param kind           query or EXPLAIN
     * @param pushedSql      the single PostgreSQL statement to run
     * @param parameterOrder for each {@code ?} of {@code pushedSql}, the index of the client's parameter
     * @param parameterCount how many parameters the client binds
     * @param columns        the result columns (EXPLAIN: one PLAN column)
     * @param rollups        rollups that answer it (empty: detail tables only)
     * @param plan           the plan as EXPLAIN shows it
     */
    record CompiledQuery(String sql, Kind kind, String pushedSql, List<Integer> parameterOrder, int parameterCount,
                         List<OutputColumn> columns, List<String> rollups, String plan) {
    }

    static SqlParser.Config parserConfig() {
        return SqlParser.config()
                .withQuoting(Quoting.DOUBLE_QUOTE)
                .withUnquotedCasing(Casing.TO_LOWER)
                .withQuotedCasing(Casing.UNCHANGED)
                .withCaseSensitive(false)
                .withConformance(SqlConformanceEnum.LENIENT)
                .withIdentifierMaxLength(256);
    }

    static SqlValidator.Config validatorConfig() {
        return SqlValidator.Config.DEFAULT
                .withConformance(SqlConformanceEnum.LENIENT)
                .withIdentifierExpansion(true);
    }

    static final RelBuilderFactory NO_SIMPLIFY = RelBuilder.proto(Contexts.of(
            RelBuilder.Config.DEFAULT.withSimplify(false)));
    private final Catalog catalog;
    private final Warehouse warehouse;

    QueryCompiler(Catalog catalog, Warehouse warehouse) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
    }

    /** Who compiles, what they see of the rollups, and whether rollups may answer. */
    record Access(Principal principal, Optional<Catalog.RoleModel> role, RollupStates.Snapshot rollupState,
                  boolean rollupsEnabled) {
    }

    /**
     * @param views the semantic views the principal sees, as a Calcite root schema
     */
    CompiledQuery compile(String sql, CalciteSchema views, Access access) {
        Optional<String> write = SqlText.writeKeyword(sql);
        if (write.isPresent()) {
            throw refused("Cannot run " + write.get() + ": the semantic layer is read-only (send SELECT ..., or "
                    + "EXPLAIN PLAN FOR SELECT ...)");
        }
        SqlNode parsed = parse(sql);
        Kind kind = Kind.QUERY;
        SqlNode query = parsed;
        if (parsed instanceof SqlExplain explain) {
            kind = Kind.EXPLAIN;
            query = explain.getExplicandum();
        }
        if (!query.isA(SqlKind.QUERY)) {
            throw refused("Cannot run " + query.getKind().sql + ": the semantic layer is read-only (send SELECT "
                    + "..., or EXPLAIN PLAN FOR SELECT ...)");
        }
        nameMeasureColumns(query);

        JavaTypeFactory typeFactory = Warehouse.typeFactory();
        VolcanoPlanner planner = new VolcanoPlanner(null, Contexts.of(Warehouse.CONFIG));
        planner.addRelTraitDef(ConventionTraitDef.INSTANCE);
        planner.addRelTraitDef(RelCollationTraitDef.INSTANCE);
        planner.setExecutor(RexUtil.EXECUTOR);
        RelOptCluster cluster = RelOptCluster.create(planner, new RexBuilder(typeFactory));

        CalciteCatalogReader viewReader = new CalciteCatalogReader(views,
                List.of(MetadataRows.CATALOG, MetadataRows.SCHEMA), typeFactory, Warehouse.CONFIG);
        SqlValidator validator = SqlValidatorUtil.newValidator(OPERATORS, viewReader, typeFactory,
                validatorConfig());
        SqlNode validated;
        try {
            validated = validator.validate(query);
        } catch (CalciteContextException e) {
            throw invalid(e, views);
        } catch (RuntimeException e) {
            throw new SemanticException(SemanticErrorCode.QUERY_INVALID, "Cannot run query: "
                    + SqlText.restoreMeasure(Catalog.firstLine(e.getMessage())), e);
        }
        RelDataType resultType = validator.getValidatedNodeType(validated);
        int parameterCount = validator.getParameterRowType(validated).getFieldCount();
        SqlToRelConverter converter = new SqlToRelConverter((rowType, queryString, schemaPath, viewPath) -> {
            throw new UnsupportedOperationException("no views");
        }, validator, viewReader, cluster, StandardConvertletTable.INSTANCE,
                SqlToRelConverter.config().withTrimUnusedFields(true).withExpand(false));
        RelRoot root = converter.convertQuery(validated, false, true);
        RelNode logical = Bases.normalize(root.project(), cluster);
        logical = converter.trimUnusedFields(true, logical);

        Bases.Converter warehouseSql = new Bases.Converter(cluster, warehouse.catalogReader(typeFactory));
        SemanticRewriter.Context ctx = new SemanticRewriter.Context(catalog, access.principal(), access.role(),
                access.rollupState(), access.rollupsEnabled(), warehouseSql);
        SemanticRewriter rewriter = new SemanticRewriter(ctx, logical);
        RelNode rewritten = rewriter.rewrite(logical);
        checkNoView(rewritten);

        Pushed pushed = push(planner, rewritten, typeFactory);
        List<OutputColumn> columns = new ArrayList<>();
        for (RelDataTypeField f : resultType.getFieldList()) {
            columns.add(new OutputColumn(f.getName(), TypeSpec.of(f.getType())));
        }
        StringBuilder plan = new StringBuilder();
        plan.append(pushed.plan());
        plan.append("\n-- PostgreSQL (").append(pushed.viaAdapter() ? "pushed down as one statement by the JDBC "
                + "adapter" : "one statement from the logical plan").append("):\n").append(named(pushed.sql().getSql(),
                pushed.names(), resultType.getFieldNames()));
        plan.append("\n-- ").append(rewriter.rollupsUsed.isEmpty() ? "no rollup used"
                : "rollups used: " + String.join(", ", rewriter.rollupsUsed));
        for (String n : rewriter.notes) {
            plan.append("\n-- ").append(n);
        }
        List<Integer> order = pushed.sql().getDynamicParameters() == null ? List.of()
                : List.copyOf(pushed.sql().getDynamicParameters());
        String pushedSql = named(pushed.sql().getSql(), pushed.names(), resultType.getFieldNames());
        if (kind == Kind.EXPLAIN) {
            columns = List.of(new OutputColumn("PLAN", new TypeSpec(
                    org.apache.calcite.sql.type.SqlTypeName.VARCHAR, -1, -1, false)));
        }
        return new CompiledQuery(sql, kind, pushedSql, order, parameterCount, columns,
                List.copyOf(rewriter.rollupsUsed), plan.toString());
    }

    /** Compiles generated SQL over the warehouse (rollup builds) to PostgreSQL SQL, unrestricted. */
    String pushDownWarehouseSql(String sql) {
        JavaTypeFactory typeFactory = Warehouse.typeFactory();
        VolcanoPlanner planner = new VolcanoPlanner(null, Contexts.of(Warehouse.CONFIG));
        planner.addRelTraitDef(ConventionTraitDef.INSTANCE);
        planner.addRelTraitDef(RelCollationTraitDef.INSTANCE);
        planner.setExecutor(RexUtil.EXECUTOR);
        RelOptCluster cluster = RelOptCluster.create(planner, new RexBuilder(typeFactory));
        RelNode rel = new Bases.Converter(cluster, warehouse.catalogReader(typeFactory)).toRel(sql);
        Pushed p = push(planner, rel, typeFactory);
        return named(p.sql().getSql(), p.names(), rel.getRowType().getFieldNames());
    }

    private record Pushed(SqlString sql, String plan, boolean viaAdapter, List<String> names) {
    }

    /**
     * The planner may drop a projection that only renames, so the statement's column names can
     * differ from the query's (e.g. {@code $f1}); then it is wrapped to rename them.
     */
    private static String named(String sql, List<String> actual, List<String> wanted) {
        if (actual.equals(wanted)) {
            return sql;
        }
        List<String> cols = new ArrayList<>();
        for (String w : wanted) {
            cols.add(Catalog.quote(w));
        }
        return "SELECT * FROM (" + sql + ") AS \"q\" (" + String.join(", ", cols) + ")";
    }

    /** Logical clean-up before conversion: push filters into joins and below projections, merge projections. */
    private static final HepProgram CLEANUP = HepProgram.builder()
            .addRuleCollection(Stream.of(
                    CoreRules.FILTER_MERGE,
                    CoreRules.FILTER_PROJECT_TRANSPOSE,
                    CoreRules.FILTER_INTO_JOIN,
                    CoreRules.JOIN_CONDITION_PUSH,
                    CoreRules.FILTER_AGGREGATE_TRANSPOSE,
                    CoreRules.PROJECT_MERGE,
                    CoreRules.PROJECT_REMOVE,
                    CoreRules.AGGREGATE_PROJECT_MERGE)
                    // without simplification: a contradiction stays a filter PostgreSQL evaluates instead of
                    // an empty VALUES whose untyped NULL columns PostgreSQL cannot aggregate
                    .<RelOptRule>map(r -> r.config.withRelBuilderFactory(NO_SIMPLIFY).toRule())
                    .toList())
            .build();

    /**
     * Plans with the JDBC adapter: a heuristic pass cleans the logical plan, then the Volcano
     * planner converts it to the JDBC convention with the adapter's rules (joins, filters,
     * projections, aggregates, sorts, unions into PostgreSQL). When every operator converts,
     * the adapter's SQL is what runs. When one cannot (the adapter has no rule for it, e.g. a
     * window function), the logical plan is unparsed to PostgreSQL instead, so the query still
     * runs as one statement.
     */
    private Pushed push(VolcanoPlanner planner, RelNode logical, JavaTypeFactory typeFactory) {
        HepPlanner hep = new HepPlanner(CLEANUP);
        hep.setRoot(logical);
        RelNode cleaned = hep.findBestExp();
        RelNode physical;
        try {
            warehouse.convention().register(planner);
            planner.setRoot(planner.changeTraits(cleaned, cleaned.getTraitSet().replace(warehouse.convention())));
            physical = planner.findBestExp();
        } catch (RelOptPlanner.CannotPlanException e) {
            physical = null;
        }
        if (physical instanceof JdbcRel jdbc) {
            JdbcImplementor implementor = new JdbcImplementor(Warehouse.DIALECT, typeFactory);
            SqlString s = implementor.visitRoot(jdbc).asStatement().toSqlString(Warehouse.DIALECT);
            return new Pushed(s, RelOptUtil.toString(physical, SqlExplainLevel.EXPPLAN_ATTRIBUTES).stripTrailing(),
                    true, physical.getRowType().getFieldNames());
        }
        SqlString s = new RelToSqlConverter(Warehouse.DIALECT).visitRoot(cleaned).asStatement()
                .toSqlString(Warehouse.DIALECT);
        return new Pushed(s, RelOptUtil.toString(cleaned, SqlExplainLevel.EXPPLAN_ATTRIBUTES).stripTrailing(),
                false, cleaned.getRowType().getFieldNames());
    }

    private static void checkNoView(RelNode rel) {
        if (rel instanceof org.apache.calcite.rel.core.TableScan scan
                && scan.getTable().unwrap(SemanticTable.class) != null) {
            throw new SemanticException(SemanticErrorCode.INTERNAL, "Cannot plan query: view "
                    + scan.getTable().getQualifiedName() + " was not rewritten (please report it)");
        }
        rel.getInputs().forEach(QueryCompiler::checkNoView);
    }

    private static SqlNode parse(String sql) {
        try {
            return SqlParser.create(SqlText.renameMeasure(sql), parserConfig()).parseStmt();
        } catch (SqlParseException e) {
            String m = SqlText.restoreMeasure(Catalog.firstLine(e.getMessage()));
            if (m.contains("\";\"") || m.contains("Encountered \";\"")) {
                throw new SemanticException(SemanticErrorCode.QUERY_INVALID, "Cannot run query: " + m
                        + " (send one statement per request, without a trailing ;)", e);
            }
            throw new SemanticException(SemanticErrorCode.QUERY_INVALID, "Cannot parse query: " + m
                    + " (the semantic layer speaks standard SQL: write CAST(x AS type), not x::type)", e);
        }
    }

    /** {@code MEASURE(revenue)} without an alias is named {@code revenue}, not {@code EXPR$1}. */
    private static void nameMeasureColumns(SqlNode query) {
        SqlNode q = query;
        if (q instanceof SqlWith w) {
            q = w.body;
        }
        if (q instanceof SqlOrderBy o) {
            q = o.query;
        }
        if (!(q instanceof SqlSelect select)) {
            return;
        }
        SqlNodeList items = select.getSelectList();
        Set<String> names = new HashSet<>();
        for (SqlNode item : items) {
            if (item instanceof SqlIdentifier id && !id.isStar()) {
                names.add(id.names.get(id.names.size() - 1).toLowerCase(Locale.ROOT));
            } else if (item.getKind() == SqlKind.AS) {
                names.add(((SqlBasicCall) item).operand(1).toString().toLowerCase(Locale.ROOT));
            }
        }
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof SqlBasicCall call
                    && call.getOperator().getName().equalsIgnoreCase(MeasureFunction.NAME)
                    && call.operandCount() == 1 && call.operand(0) instanceof SqlIdentifier id) {
                String name = id.names.get(id.names.size() - 1);
                if (names.add(name.toLowerCase(Locale.ROOT))) {
                    items.set(i, SqlStdOperatorTable.AS.createCall(SqlParserPos.ZERO, call,
                            new SqlIdentifier(name, SqlParserPos.ZERO)));
                }
            }
        }
    }

    private SemanticException invalid(CalciteContextException e, CalciteSchema views) {
        String m = SqlText.restoreMeasure(e.getMessage());
        CalciteSchema semantic = views.getSubSchema(MetadataRows.CATALOG, false).getSubSchema(MetadataRows.SCHEMA, false);
        String visible = String.join(", ", new java.util.TreeSet<>(semantic.getTableNames()));
        if (m.contains("not found")) {
            if (m.contains("Object '") || m.contains("Table '")) {
                return new SemanticException(SemanticErrorCode.ACCESS_DENIED, "Cannot run query: " + m
                        + " (only the semantic views are readable; views you may query: " + visible + ")", e);
            }
            return new SemanticException(SemanticErrorCode.QUERY_INVALID, "Cannot run query: " + m
                    + " (see the view's columns with !columns or DatabaseMetaData.getColumns)", e);
        }
        if (m.contains("No match found for function signature MEASURE")) {
            return new SemanticException(SemanticErrorCode.QUERY_INVALID, "Cannot run query: " + m
                    + " (MEASURE takes one measure column)", e);
        }
        return new SemanticException(SemanticErrorCode.QUERY_INVALID, "Cannot run query: " + m, e);
    }

    private static SemanticException refused(String message) {
        return new SemanticException(SemanticErrorCode.QUERY_REFUSED, message);
    }
}
