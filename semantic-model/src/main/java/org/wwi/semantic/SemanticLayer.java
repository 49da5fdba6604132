package org.wwi.semantic;

import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.sql.type.SqlTypeName;
import org.wwi.platform.Database;
import org.wwi.semantic.Catalog.Column;
import org.wwi.semantic.Catalog.RoleModel;
import org.wwi.semantic.Catalog.ViewModel;
import org.wwi.semantic.ModelDef.DimensionType;
import org.wwi.semantic.QueryCompiler.CompiledQuery;
import org.wwi.semantic.SemanticTable.TypeSpec;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The semantic layer over one warehouse: compiles SQL over the model's views (or a
 * {@link SemanticQuery}) into one PostgreSQL statement, answers from rollups when they cover the
 * query, and runs it. Thread-safe; compiled plans are cached per principal and SQL text.
 *
 * <pre>{@code
 * try (SemanticLayer layer = SemanticLayer.open(db, SemanticModel.forProject(home))) {
 *     QueryResult r = layer.query(SemanticQuery.of(List.of("revenue"), List.of("channel.name")),
 *             Principal.operator());
 * }
 * }</pre>
 */
public final class SemanticLayer implements AutoCloseable {

    /**
     * @param queryTimeout   longest time a query may run in PostgreSQL
     * @param maxRows        most rows a query may return; more is an error, not a silent cut
     * @param rollupStateTtl how long the rollup states read from {@code mart.rollup_state} are trusted
     * @param planCacheSize  compiled statements kept
     * @param logSource      the {@code source} written to the query log ({@code api}, {@code cli})
     */
    public record Options(Duration queryTimeout, int maxRows, Duration rollupStateTtl, int planCacheSize,
                          String logSource) {
        public Options {
            requireNonNull(queryTimeout, "queryTimeout is null");
            requireNonNull(rollupStateTtl, "rollupStateTtl is null");
            requireNonNull(logSource, "logSource is null");
            if (maxRows < 1 || planCacheSize < 0 || queryTimeout.isNegative() || queryTimeout.isZero()) {
                throw new IllegalArgumentException("maxRows and queryTimeout must be positive");
            }
        }

        public static Options defaults() {
            return new Options(Duration.ofMinutes(5), 1_000_000, Duration.ofSeconds(2), 2000, "api");
        }

        public Options withLogSource(String source) {
            return new Options(queryTimeout, maxRows, rollupStateTtl, planCacheSize, source);
        }

        public Options withLimits(Duration timeout, int rows) {
            return new Options(timeout, rows, rollupStateTtl, planCacheSize, logSource);
        }

        /** How long rollup states are trusted; zero reads {@code mart.rollup_state} for every new plan. */
        public Options withStateTtl(Duration ttl) {
            return new Options(queryTimeout, maxRows, ttl, planCacheSize, logSource);
        }
    }

    /** A member as a client sees it (metadata for tools and reports). */
    public record MemberInfo(String column, String path, String kind, String sqlType, int jdbcType,
                             Optional<Format> format, String description) {
    }

    /** A view as a client sees it. */
    public record ViewInfo(String name, String description, List<MemberInfo> members) {
    }

    final Catalog catalog;
    private final SemanticModel model;
    private final Database database;
    private final Options options;
    final Warehouse warehouse;
    final QueryCompiler compiler;
    final MemberTypes memberTypes;
    final RollupStates rollupStates;
    final QueryLog log;
    private final ConnectionPool pool;
    private final Map<String, CalciteSchema> schemas = new ConcurrentHashMap<>();
    private final Map<String, List<SemanticTable>> tables = new ConcurrentHashMap<>();
    private final Map<String, CompiledQuery> plans;
    private volatile String lastUsableKey = "";

    private SemanticLayer(Database database, SemanticModel model, Options options) {
        this.database = requireNonNull(database, "database is null");
        this.model = requireNonNull(model, "model is null");
        this.options = requireNonNull(options, "options is null");
        this.catalog = model.catalog;
        this.warehouse = new Warehouse(database.dataSource());
        this.memberTypes = MemberTypes.check(catalog, warehouse);
        this.compiler = new QueryCompiler(catalog, warehouse);
        this.rollupStates = new RollupStates(database.dataSource(), catalog, options.rollupStateTtl());
        this.pool = new ConnectionPool(database.dataSource(), 8);
        this.log = new QueryLog(database.dataSource());
        int size = options.planCacheSize();
        this.plans = java.util.Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompiledQuery> eldest) {
                return size() > size;
            }
        });
    }

    /** Opens the layer: checks every member of the model against the warehouse (fails naming the file). */
    public static SemanticLayer open(Database database, SemanticModel model) {
        return open(database, model, Options.defaults());
    }

    public static SemanticLayer open(Database database, SemanticModel model, Options options) {
        return new SemanticLayer(database, model, options);
    }

    public SemanticModel model() {
        return model;
    }

    public Database database() {
        return database;
    }

    public Options options() {
        return options;
    }

    /** Builds and reports on the model's rollup tables. */
    public Rollups rollups() {
        return new Rollups(this);
    }

    // ------------------------------------------------------------------ queries

    /** Runs a query by members (the {@code wwi query} and dashboard path), rollups allowed. */
    public QueryResult query(SemanticQuery query, Principal principal) {
        return query(query, principal, true);
    }

    public QueryResult query(SemanticQuery query, Principal principal, boolean rollups) {
        ViewModel view = pickView(query, principal);
        SemanticSql s = SemanticSql.of(query, view, visibleColumns(view, role(principal)));
        QueryResult r = run(s.sql(), List.of(), principal, rollups);
        List<QueryResult.Column> cols = new ArrayList<>();
        for (int i = 0; i < r.columns().size(); i++) {
            QueryResult.Column c = r.columns().get(i);
            Column member = s.members().get(i);
            cols.add(new QueryResult.Column(c.name(), Optional.of(member.ref().toString()), member.isMeasure(),
                    c.jdbcType(), c.typeName(), member.format().orElse(member.isMeasure() ? Format.NUMBER
                    : Format.TEXT), member.decimals(), member.description()));
        }
        return new QueryResult(cols, r.rows(), r.sql(), r.pushedSql(), r.rollups(), r.elapsed());
    }

    /** The SQL over the views that a query by members becomes (what {@link #query} runs). */
    public String sqlOf(SemanticQuery query, Principal principal) {
        ViewModel view = pickView(query, principal);
        return SemanticSql.of(query, view, visibleColumns(view, role(principal))).sql();
    }

    /** Runs SQL over the views (as a BI tool sends it), rollups allowed. */
    public QueryResult sql(String sql, Principal principal) {
        return run(sql, List.of(), principal, true);
    }

    public QueryResult sql(String sql, Principal principal, boolean rollups) {
        return run(sql, List.of(), principal, rollups);
    }

    /** The plan: Calcite's physical plan, the PostgreSQL statement and which rollups answer. */
    public String explain(String sql, Principal principal) {
        return explain(sql, principal, true);
    }

    /** The plan with or without rollups (what {@code wwi query --explain --no-rollups} shows). */
    public String explain(String sql, Principal principal, boolean rollups) {
        return compile(sql, principal, rollups).plan();
    }

    /** The PostgreSQL statement a query becomes (reports show it; tests compare it). */
    public String pushedSql(String sql, Principal principal, boolean rollups) {
        return compile(sql, principal, rollups).pushedSql();
    }

    /** The views a principal sees, with their columns. */
    public List<ViewInfo> views(Principal principal) {
        List<ViewInfo> out = new ArrayList<>();
        for (SemanticTable t : tables(principal)) {
            List<MemberInfo> members = new ArrayList<>();
            for (int i = 0; i < t.columns.size(); i++) {
                Column c = t.columns.get(i);
                TypeSpec type = t.types.get(i);
                members.add(new MemberInfo(c.name(), c.ref().toString(), c.kind().name().toLowerCase(Locale.ROOT),
                        typeName(type), type.name().getJdbcOrdinal(), c.format(), c.description()));
            }
            out.add(new ViewInfo(t.view.name(), t.view.description(), members));
        }
        return out;
    }

    QueryResult run(String sql, List<Object> parameters, Principal principal, boolean rollups) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        CompiledQuery q = null;
        try {
            q = compile(sql, principal, rollups);
            List<List<Object>> rows = q.kind() == QueryCompiler.Kind.EXPLAIN ? List.of(List.of(q.plan()))
                    : execute(q, parameters);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            log.add(new QueryLog.Entry(started, principal.user(), principal.role(), options.logSource(), sql, true,
                    rows.size(), took.toNanos() / 1e6, q.rollups(), Optional.empty()));
            List<QueryResult.Column> cols = new ArrayList<>();
            for (QueryCompiler.OutputColumn c : q.columns()) {
                cols.add(new QueryResult.Column(c.name(), Optional.empty(), false, c.type().name().getJdbcOrdinal(),
                        typeName(c.type()), Format.TEXT, -1, ""));
            }
            return new QueryResult(cols, rows, sql, q.pushedSql(), q.rollups(), took);
        } catch (RuntimeException e) {
            log.add(new QueryLog.Entry(started, principal.user(), principal.role(), options.logSource(), sql, false,
                    0, (System.nanoTime() - t0) / 1e6, q == null ? List.of() : q.rollups(),
                    Optional.ofNullable(e.getMessage())));
            throw e;
        }
    }

    private List<List<Object>> execute(CompiledQuery q, List<Object> parameters) {
        Connection c = null;
        boolean broken = false;
        try {
            c = pool.borrow();
            // the row limit goes into the SQL, not into the protocol: PostgreSQL runs a portal executed with a
            // row count (JDBC setMaxRows) without parallel workers, which halves aggregations on 2 cores
            String sql = "SELECT * FROM (\n" + q.pushedSql() + "\n) AS wwi_result LIMIT " + (options.maxRows() + 1);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setQueryTimeout((int) Math.max(1, options.queryTimeout().toSeconds()));
                List<Integer> order = q.parameterOrder();
                for (int i = 0; i < order.size(); i++) {
                    ps.setObject(i + 1, parameters.get(order.get(i)));
                }
                List<List<Object>> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        if (rows.size() == options.maxRows()) {
                            throw new SemanticException(SemanticErrorCode.TOO_MANY_ROWS, "Cannot return more than "
                                    + options.maxRows() + " rows (add filters, group more coarsely or add LIMIT)");
                        }
                        List<Object> row = new ArrayList<>(n);
                        for (int i = 1; i <= n; i++) {
                            row.add(rs.getObject(i));
                        }
                        rows.add(row);
                    }
                }
                return rows;
            }
        } catch (SQLException e) {
            broken = ConnectionPool.connectionLost(e);
            throw failure(e, options.queryTimeout());
        } finally {
            if (c != null) {
                pool.release(c, broken);
            }
        }
    }

    /** A PostgreSQL failure as the layer's exception: timeouts and lost connections named as such. */
    static SemanticException failure(SQLException e, Duration timeout) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLTimeoutException || state.equals("57014")) {
            return new SemanticException(SemanticErrorCode.QUERY_TIMEOUT, "Cannot finish query within "
                    + timeout.toSeconds() + " s: PostgreSQL cancelled it (narrow the query, or use a rollup)", e);
        }
        if (ConnectionPool.connectionLost(e)) {
            return new SemanticException(SemanticErrorCode.DATABASE_FAILED, "Cannot run query: the connection to "
                    + "PostgreSQL was lost (" + Catalog.firstLine(e.getMessage()) + "); retry when it is back", e);
        }
        return new SemanticException(SemanticErrorCode.DATABASE_FAILED, "Cannot run query on PostgreSQL: "
                + Catalog.firstLine(e.getMessage()), e);
    }

    // ------------------------------------------------------------------ compile

    CompiledQuery compile(String sql, Principal principal, boolean rollups) {
        requireNonNull(sql, "sql is null");
        Optional<RoleModel> role = role(principal);
        RollupStates.Snapshot snapshot = rollupStates.snapshot();
        String usable = snapshot.usableKey(catalog);
        if (!usable.equals(lastUsableKey)) {
            // a rollup was (re)built: forget cached table definitions of the rollup tables
            warehouse.refresh();
            lastUsableKey = usable;
        }
        String key = principal.accessKey() + '\u0000' + rollups + '\u0000' + usable + '\u0000' + sql;
        CompiledQuery cached = plans.get(key);
        if (cached != null) {
            return cached;
        }
        CompiledQuery q = compiler.compile(sql, schema(principal, role),
                new QueryCompiler.Access(principal, role, snapshot, rollups));
        if (options.planCacheSize() > 0) {
            plans.put(key, q);
        }
        return q;
    }

    Optional<RoleModel> role(Principal principal) {
        if (principal.role().isEmpty()) {
            return Optional.empty();
        }
        RoleModel r = catalog.roles.get(principal.role().get());
        if (r == null) {
            throw new SemanticException(SemanticErrorCode.ACCESS_DENIED, "Cannot use role '" + principal.role().get()
                    + "': the model has no such role (roles: " + String.join(", ", catalog.roles.keySet()) + ")");
        }
        return Optional.of(r);
    }

    private CalciteSchema schema(Principal principal, Optional<RoleModel> role) {
        return schemas.computeIfAbsent(principal.accessKey(), k -> {
            CalciteSchema root = CalciteSchema.createRootSchema(false, false);
            CalciteSchema semantic = root.add(MetadataRows.CATALOG, new AbstractSchema())
                    .add(MetadataRows.SCHEMA, new AbstractSchema());
            for (SemanticTable t : tables(principal)) {
                semantic.add(t.view.name(), t);
            }
            return root;
        });
    }

    /** The views a principal sees as tables (hidden members removed). */
    List<SemanticTable> tables(Principal principal) {
        Optional<RoleModel> role = role(principal);
        return tables.computeIfAbsent(principal.accessKey(), k -> {
            List<SemanticTable> out = new ArrayList<>();
            for (ViewModel v : catalog.views.values()) {
                if (!visible(v, role)) {
                    continue;
                }
                List<Column> cols = visibleColumns(v, role);
                List<TypeSpec> types = cols.stream().map(c -> memberTypes.of(c.ref().cube(), c.ref().member()))
                        .toList();
                out.add(new SemanticTable(v, cols, types));
            }
            return List.copyOf(out);
        });
    }

    private boolean visible(ViewModel v, Optional<RoleModel> role) {
        if (role.isEmpty()) {
            return true;
        }
        RoleModel r = role.get();
        if (!r.allViews() && !r.views().contains(v.name())) {
            return false;
        }
        for (String m : r.filterMembers()) {
            if (catalog.pathTo(v.cube(), m.split("\\.")[0]).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static List<Column> visibleColumns(ViewModel v, Optional<RoleModel> role) {
        if (role.isEmpty() || role.get().hidden().isEmpty()) {
            return v.columns();
        }
        return v.columns().stream().filter(c -> role.get().hidden().stream()
                .noneMatch(h -> h.equalsIgnoreCase(c.name()) || h.equalsIgnoreCase(c.ref().toString()))).toList();
    }

    private ViewModel pickView(SemanticQuery q, Principal principal) {
        Optional<RoleModel> role = role(principal);
        List<String> wanted = new ArrayList<>(q.measures());
        wanted.addAll(q.dimensions());
        q.filters().forEach(f -> wanted.add(f.member()));
        wanted.addAll(q.segments());
        if (q.view().isPresent()) {
            ViewModel v = catalog.views.get(q.view().get());
            if (v == null || !visible(v, role)) {
                throw new SemanticException(SemanticErrorCode.ACCESS_DENIED, "Cannot query view '" + q.view().get()
                        + "': no such view" + (role.isPresent() ? " for role " + role.get().name() : "")
                        + " (views: " + String.join(", ", tables(principal).stream().map(t -> t.view.name())
                        .toList()) + ")");
            }
            return v;
        }
        for (SemanticTable t : tables(principal)) {
            List<Column> cols = t.columns;
            boolean all = wanted.stream().allMatch(w -> cols.stream().anyMatch(c -> c.name().equalsIgnoreCase(w)
                    || c.ref().toString().equalsIgnoreCase(w)));
            if (all) {
                return t.view;
            }
        }
        throw new SemanticException(SemanticErrorCode.QUERY_INVALID, "Cannot find a view with all of " + wanted
                + " (views: " + String.join(", ", tables(principal).stream().map(t -> t.view.name()).toList())
                + "; name members as in the view, e.g. revenue, product.category, or pick the view with --view)");
    }

    static String typeName(TypeSpec t) {
        SqlTypeName n = t.name();
        if (n == SqlTypeName.DECIMAL) {
            return "DECIMAL(" + t.precision() + ", " + t.scale() + ")";
        }
        if (n == SqlTypeName.VARCHAR || n == SqlTypeName.CHAR) {
            return n.getName();
        }
        if (n == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
            return "TIMESTAMP WITH TIME ZONE";
        }
        return n.getName();
    }

    /**
     * Compiles one query per view, so that Calcite's classes, code and metadata handlers are
     * loaded before the first client's query (the server calls this once at start).
     */
    void warmUp() {
        for (ViewModel v : catalog.views.values()) {
            Optional<Column> dim = v.columns().stream().filter(c -> !c.isMeasure()).findFirst();
            Optional<Column> measure = v.columns().stream().filter(Column::isMeasure).findFirst();
            if (dim.isPresent() && measure.isPresent()) {
                compile("select " + Catalog.quote(dim.get().name()) + ", measure(" + Catalog.quote(measure.get().name())
                        + ") from " + Catalog.quote(v.name()) + " group by 1", Principal.operator(), true);
            }
        }
    }

    /** Flushes the query log (tests). */
    void flushLog() {
        log.flush();
    }

    @Override
    public void close() {
        log.close();
        pool.close();
        rollupStates.close();
    }

    /** Semantic SQL for a {@link SemanticQuery}, and the member of each result column. */
    record SemanticSql(String sql, List<Column> members) {
        static SemanticSql of(SemanticQuery q, ViewModel view, List<Column> visible) {
            List<Column> dims = new ArrayList<>();
            List<Column> measures = new ArrayList<>();
            for (String d : q.dimensions()) {
                Column c = member(view, visible, d);
                if (c.isMeasure()) {
                    throw new SemanticException(SemanticErrorCode.QUERY_INVALID, "Cannot group by '" + d + "': it is a "
                            + "measure (list it under measures)");
                }
                dims.add(c);
            }
            for (String m : q.measures()) {
                Column c = member(view, visible, m);
                if (!c.isMeasure()) {
                    throw new SemanticException(SemanticErrorCode.QUERY_INVALID, "Cannot use '" + m + "' as a "
                            + "measure: it is a dimension (list it under dimensions)");
                }
                measures.add(c);
            }
            List<String> select = new ArrayList<>();
            dims.forEach(c -> select.add(Catalog.quote(c.name())));
            measures.forEach(c -> select.add("MEASURE(" + Catalog.quote(c.name()) + ") AS " + Catalog.quote(c.name())));
            List<String> where = new ArrayList<>();
            List<String> having = new ArrayList<>();
            for (SemanticQuery.Filter f : q.filters()) {
                Column c = member(view, visible, f.member());
                String target = c.isMeasure() ? "MEASURE(" + Catalog.quote(c.name()) + ")" : Catalog.quote(c.name());
                (c.isMeasure() ? having : where).add(condition(target, c, f));
            }
            for (String s : q.segments()) {
                Column c = member(view, visible, s);
                if (c.kind() != Catalog.Kind.SEGMENT) {
                    throw new SemanticException(SemanticErrorCode.QUERY_INVALID, "Cannot use '" + s + "' as a segment "
                            + "(segments of view " + view.name() + ": " + visible.stream().filter(x -> x.kind()
                            == Catalog.Kind.SEGMENT).map(Column::name).toList() + ")");
                }
                where.add(Catalog.quote(c.name()));
            }
            StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", select)).append(" FROM ")
                    .append(Catalog.quote(view.name()));
            if (!where.isEmpty()) {
                sql.append(" WHERE ").append(String.join(" AND ", where));
            }
            if (!dims.isEmpty()) {
                sql.append(" GROUP BY ").append(String.join(", ", dims.stream().map(c -> Catalog.quote(c.name()))
                        .toList()));
            }
            if (!having.isEmpty()) {
                sql.append(" HAVING ").append(String.join(" AND ", having));
            }
            List<String> order = new ArrayList<>();
            for (SemanticQuery.Order o : q.order()) {
                Column c = member(view, visible, o.member());
                if (!dims.contains(c) && !measures.contains(c)) {
                    throw new SemanticException(SemanticErrorCode.QUERY_INVALID, "Cannot sort by '" + o.member()
                            + "': it is not in the query (add it to the measures or dimensions)");
                }
                order.add(Catalog.quote(c.name()) + (o.descending() ? " DESC" : ""));
            }
            if (order.isEmpty()) {
                dims.forEach(c -> order.add(Catalog.quote(c.name())));
            }
            if (!order.isEmpty()) {
                sql.append(" ORDER BY ").append(String.join(", ", order));
            }
            q.limit().ifPresent(n -> sql.append(" LIMIT ").append(n));
            List<Column> members = new ArrayList<>(dims);
            members.addAll(measures);
            return new SemanticSql(sql.toString(), members);
        }

        private static Column member(ViewModel view, List<Column> visible, String name) {
            for (Column c : visible) {
                if (c.name().equalsIgnoreCase(name) || c.ref().toString().equalsIgnoreCase(name)) {
                    return c;
                }
            }
            throw new SemanticException(SemanticErrorCode.QUERY_INVALID, "Cannot find member '" + name + "' in view "
                    + view.name() + " (" + Catalog.hint(name, visible.stream().map(c -> c.ref().toString()).toList(),
                    "members: " + visible.stream().map(c -> c.ref().toString()).toList()) + ")");
        }

        /** A filter as SQL; text is compared ignoring case, as people type it ({@code channel.name = web}). */
        private static String condition(String target, Column c, SemanticQuery.Filter f) {
            boolean text = !c.isMeasure() && c.dimensionType().orElse(DimensionType.STRING) == DimensionType.STRING;
            String t = text ? "LOWER(" + target + ")" : target;
            List<String> values = new ArrayList<>();
            for (String v : f.values()) {
                values.add(literal(c, text ? v.toLowerCase(Locale.ROOT) : v, f.operator()));
            }
            return switch (f.operator()) {
                case IN, NOT_IN -> t + " " + f.operator().sql + " (" + String.join(", ", values) + ")";
                case BETWEEN -> t + " BETWEEN " + values.get(0) + " AND " + values.get(1);
                case CONTAINS -> "LOWER(CAST(" + target + " AS VARCHAR)) LIKE " + SqlText.literal("%"
                        + f.values().get(0).toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                        .replace("_", "\\_") + "%") + " ESCAPE '\\'";
                default -> t + " " + f.operator().sql + " " + values.get(0);
            };
        }

        private static String literal(Column c, String v, SemanticQuery.Operator op) {
            if (op == SemanticQuery.Operator.CONTAINS) {
                return SqlText.literal(v);
            }
            DimensionType type = c.isMeasure() ? DimensionType.NUMBER : c.dimensionType().orElse(DimensionType.STRING);
            switch (type) {
                case NUMBER -> {
                    try {
                        return new BigDecimal(v.trim()).toPlainString();
                    } catch (NumberFormatException e) {
                        throw new SemanticException(SemanticErrorCode.QUERY_INVALID, "Cannot compare " + c.ref()
                                + " with '" + v + "': it is a number");
                    }
                }
                case BOOLEAN -> {
                    if (!v.trim().matches("(?i)true|false")) {
                        throw new SemanticException(SemanticErrorCode.QUERY_INVALID, "Cannot compare " + c.ref()
                                + " with '" + v + "': write true or false");
                    }
                    return v.trim().toUpperCase(Locale.ROOT);
                }
                case TIME -> {
                    String t = v.trim();
                    if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
                        return "DATE " + SqlText.literal(t);
                    }
                    if (t.matches("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?")) {
                        return "TIMESTAMP " + SqlText.literal(t.replace('T', ' '));
                    }
                    throw new SemanticException(SemanticErrorCode.QUERY_INVALID, "Cannot compare " + c.ref()
                            + " with '" + v + "': write a date (2026-03-01) or time (2026-03-01 12:00:00)");
                }
                default -> {
                    return SqlText.literal(v);
                }
            }
        }
    }
}
