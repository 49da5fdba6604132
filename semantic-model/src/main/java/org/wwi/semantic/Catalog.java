package org.wwi.semantic;

import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.wwi.platform.yaml.Location;
import org.wwi.platform.yaml.YamlNode;
import org.wwi.semantic.ModelDef.Cube;
import org.wwi.semantic.ModelDef.DimensionType;
import org.wwi.semantic.ModelDef.Include;
import org.wwi.semantic.ModelDef.Join;
import org.wwi.semantic.ModelDef.MeasureType;
import org.wwi.semantic.ModelDef.Model;
import org.wwi.semantic.ModelDef.Relationship;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The model with every name resolved and checked: cubes with their joins and members, views as
 * lists of columns, roles, rollups with the dimensions they store. Checks here need no database;
 * {@link SemanticLayer#open} then compiles every member against the warehouse.
 */
final class Catalog {
    /** {@code {CUBE}}, {@code {name}} or {@code {a.b}} inside a SQL snippet. */
    static final Pattern REF = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*)}");
    private static final Pattern BARE_COLUMN = Pattern.compile("[a-z_][a-z0-9_]*");

    enum Kind { DIMENSION, SEGMENT, MEASURE }

    /** A path of joins from a root cube: empty is the cube itself, [product] its join to product. */
    record JoinPath(List<String> joins) {
        static final JoinPath ROOT = new JoinPath(List.of());

        JoinPath {
            joins = List.copyOf(joins);
        }

        JoinPath then(String join) {
            List<String> j = new ArrayList<>(joins);
            j.add(join);
            return new JoinPath(j);
        }

        JoinPath parent() {
            return new JoinPath(joins.subList(0, joins.size() - 1));
        }

        boolean isRoot() {
            return joins.isEmpty();
        }

        /** Whether {@code other} is this path or below it. */
        boolean contains(JoinPath other) {
            return other.joins.size() >= joins.size() && other.joins.subList(0, joins.size()).equals(joins);
        }

        String dotted() {
            return String.join(".", joins);
        }

        @Override
        public String toString() {
            return joins.isEmpty() ? "(cube)" : dotted();
        }
    }

    /** A member reached from a root cube: {@code product.category} is ([product], product, category). */
    record MemberRef(JoinPath path, String cube, String member) {
        @Override
        public String toString() {
            return path.isRoot() ? member : path.dotted() + "." + member;
        }
    }

    /** A resolved dimension or segment of a cube; {@code sql} uses {@code {CUBE}} for the cube's alias. */
    record Dim(String cube, String name, Kind kind, DimensionType type, String sql, String description,
               Optional<Format> format, boolean primaryKey, Location location) {
    }

    /**
     * A resolved measure. Base measures aggregate {@code sql} (with {@code {CUBE}}) over rows
     * passing {@code filters}; derived ones ({@code NUMBER}) compute {@code expression} over
     * other measures of the cube ({@code dependencies}).
     */
    record Measure(String cube, String name, MeasureType type, Optional<String> sql, List<String> filters,
                   Optional<SqlNode> expression, List<String> dependencies, String description, Format format,
                   int decimals, Location location) {
        boolean derived() {
            return type == MeasureType.NUMBER;
        }

        /** Whether duplicated input rows leave the value unchanged (safe across fan-out joins). */
        boolean duplicateInsensitive() {
            return type == MeasureType.COUNT_DISTINCT || type == MeasureType.MIN || type == MeasureType.MAX;
        }
    }

    record CubeModel(Cube def, Map<String, Join> joins, Map<String, Dim> dims, Map<String, Measure> measures,
                     List<List<String>> hierarchies) {
        String name() {
            return def.name();
        }

        /** The FROM item: a table or a parenthesised query. */
        String fromSql() {
            return def.table().map(Catalog::quoteQualified).orElseGet(() -> "(" + def.sql().orElseThrow() + ")");
        }

        /** Coarser levels a dimension determines through the cube's hierarchies. */
        Set<String> determines(String dim) {
            Set<String> out = new LinkedHashSet<>();
            for (List<String> h : hierarchies) {
                int i = h.indexOf(dim);
                if (i > 0) {
                    out.addAll(h.subList(0, i));
                }
            }
            return out;
        }
    }

    /** One column of a view. */
    record Column(String name, Kind kind, MemberRef ref, String description, Optional<Format> format, int decimals,
                  Optional<DimensionType> dimensionType, Optional<MeasureType> measureType) {
        boolean isMeasure() {
            return kind == Kind.MEASURE;
        }
    }

    record ViewModel(String name, String description, String cube, List<Column> columns, Location location) {
        Optional<Column> column(String name) {
            for (Column c : columns) {
                if (c.name().equalsIgnoreCase(name)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }

        /** The column of a member path ({@code product.category}) or column name. */
        Optional<Column> member(String pathOrName) {
            String p = pathOrName.trim();
            for (Column c : columns) {
                if (c.ref().toString().equalsIgnoreCase(p)) {
                    return Optional.of(c);
                }
            }
            return column(p);
        }
    }

    /**
     * A role: the views it sees ({@code allViews} for "*"), hidden member paths or columns, and a
     * row filter whose {@code {cube.member}} references are resolved per view.
     */
    record RoleModel(String name, String description, boolean allViews, Set<String> views, Set<String> hidden,
                     Optional<String> rowFilter, List<String> filterMembers, List<String> filterAttributes,
                     Location location) {
    }

    /** A rollup: the measures it stores (base measures of the requested ones) and its dimensions. */
    record RollupModel(String name, String description, String cube, List<Measure> requested, List<Measure> stored,
                       List<MemberRef> keys, List<MemberRef> dimensions, boolean allowStale, String table,
                       String fingerprint, Location location) {
        /** Column name of a stored dimension, e.g. {@code product__category}. */
        static String dimColumn(MemberRef d) {
            return (d.path().isRoot() ? "" : String.join("__", d.path().joins()) + "__") + d.member();
        }
    }

    final Model def;
    final Map<String, CubeModel> cubes = new LinkedHashMap<>();
    final Map<String, ViewModel> views = new LinkedHashMap<>();
    final Map<String, RoleModel> roles = new LinkedHashMap<>();
    final Map<String, RollupModel> rollups = new LinkedHashMap<>();

    Catalog(Model def) {
        this.def = requireNonNull(def, "def is null");
        def.cubes().values().forEach(c -> cubes.put(c.name(), cube(c)));
        for (CubeModel c : cubes.values()) {
            for (Join j : c.joins().values()) {
                if (!cubes.containsKey(j.target())) {
                    throw j.location().error("join to unknown cube '" + j.target() + "'",
                            hint(j.target(), cubes.keySet(), "define the cube or fix the name"));
                }
                checkTemplate(j.sql(), j.location().child("sql"), Set.of("CUBE", j.target()), "join");
            }
        }
        def.views().values().forEach(v -> views.put(v.name(), view(v)));
        def.roles().values().forEach(r -> roles.put(r.name(), role(r)));
        def.rollups().values().forEach(r -> rollups.put(r.name(), rollup(r)));
    }

    CubeModel cube(String name) {
        CubeModel c = cubes.get(name);
        if (c == null) {
            throw new SemanticException(SemanticErrorCode.INTERNAL, "Cannot find cube " + name);
        }
        return c;
    }

    /** The cube a join path leads to from {@code root}. */
    CubeModel cubeAt(String root, JoinPath path) {
        CubeModel c = cube(root);
        for (String j : path.joins()) {
            c = cube(c.joins().get(j).target());
        }
        return c;
    }

    /**
     * The shortest join path from {@code root} to {@code target} through many_to_one and
     * one_to_one joins only (so that filtering on it never repeats rows); empty when unreachable
     * or ambiguous.
     */
    Optional<JoinPath> pathTo(String root, String target) {
        List<JoinPath> level = List.of(JoinPath.ROOT);
        for (int depth = 0; depth <= 4 && !level.isEmpty(); depth++) {
            List<JoinPath> found = level.stream().filter(p -> cubeAt(root, p).name().equals(target)).toList();
            if (!found.isEmpty()) {
                return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
            }
            List<JoinPath> next = new ArrayList<>();
            for (JoinPath p : level) {
                cubeAt(root, p).joins().forEach((name, j) -> {
                    if (j.relationship() != Relationship.ONE_TO_MANY) {
                        next.add(p.then(name));
                    }
                });
            }
            level = next;
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- cubes

    private CubeModel cube(Cube c) {
        Map<String, Dim> dims = new LinkedHashMap<>();
        c.dimensions().values().forEach(d -> {
            String sql = column(d.sql(), d.location().child("sql"));
            dims.put(d.name(), new Dim(c.name(), d.name(), Kind.DIMENSION, d.type(), sql, d.description(),
                    d.format(), d.primaryKey(), d.location()));
        });
        c.segments().values().forEach(s -> {
            if (dims.containsKey(s.name())) {
                throw s.location().error("segment '" + s.name() + "' has the name of a dimension", "rename one");
            }
            String sql = column(s.sql(), s.location().child("sql"));
            dims.put(s.name(), new Dim(c.name(), s.name(), Kind.SEGMENT, DimensionType.BOOLEAN, sql,
                    s.description(), Optional.empty(), false, s.location()));
        });
        Map<String, Measure> measures = new LinkedHashMap<>();
        for (ModelDef.Measure m : c.measures().values()) {
            if (dims.containsKey(m.name())) {
                throw m.location().error("measure '" + m.name() + "' has the name of a dimension or segment",
                        "rename one");
            }
            measures.put(m.name(), measure(c, m));
        }
        // derived measures: dependencies exist, no cycles
        for (Measure m : measures.values()) {
            for (String dep : m.dependencies()) {
                if (!measures.containsKey(dep)) {
                    throw m.location().child("sql").error("unknown measure {" + dep + "}",
                            hint(dep, measures.keySet(), "refer to measures of cube " + c.name()));
                }
            }
            baseMeasures(measures, m, new ArrayDeque<>());
        }
        List<List<String>> hierarchies = new ArrayList<>();
        c.hierarchies().forEach((h, levels) -> {
            if (levels.size() < 2) {
                throw c.location().child("hierarchies." + h).error("a hierarchy needs at least two levels",
                        "list them from coarse to fine, e.g. [year, quarter, month, day]");
            }
            for (String l : levels) {
                if (!dims.containsKey(l)) {
                    throw c.location().child("hierarchies." + h).error("unknown level '" + l + "'",
                            hint(l, dims.keySet(), "levels are dimensions of cube " + c.name()));
                }
            }
            hierarchies.add(List.copyOf(levels));
        });
        c.highWaterMark().ifPresent(h -> {
            if (c.table().isEmpty()) {
                throw c.location().child("high_water_mark").error("high_water_mark needs a cube over sql_table",
                        "remove it, or use sql_table");
            }
            if (!BARE_COLUMN.matcher(h).matches()) {
                throw c.location().child("high_water_mark").error("'" + h + "' is not a column name",
                        "name an ever-increasing column of the table, e.g. sale_line_id");
            }
        });
        return new CubeModel(c, c.joins(), dims, measures, hierarchies);
    }

    /** A bare column name means {@code {CUBE}.column}; anything else must use {@code {CUBE}}. */
    private static String column(String sql, Location at) {
        String s = sql.trim();
        if (BARE_COLUMN.matcher(s).matches()) {
            return "{CUBE}." + quote(s);
        }
        checkTemplate(s, at, Set.of("CUBE"), "member");
        if (!s.contains("{CUBE}")) {
            throw at.error("expression '" + s + "' does not refer to the cube",
                    "write columns as {CUBE}.column, e.g. {CUBE}.price * {CUBE}.quantity");
        }
        return s;
    }

    private static void checkTemplate(String sql, Location at, Set<String> allowed, String what) {
        Matcher m = REF.matcher(sql);
        while (m.find()) {
            if (!allowed.contains(m.group(1))) {
                throw at.error("unknown reference {" + m.group(1) + "} in " + what + " SQL",
                        "use " + String.join(" or ", allowed.stream().map(a -> "{" + a + "}").toList()));
            }
        }
        String probe = REF.matcher(sql).replaceAll("\"$1\"");
        try {
            SqlParser.create(probe, QueryCompiler.parserConfig()).parseExpression();
        } catch (SqlParseException e) {
            throw at.error("cannot parse '" + sql + "': " + firstLine(e.getMessage()), "fix the SQL expression");
        }
    }

    private static Measure measure(Cube c, ModelDef.Measure m) {
        Location at = m.location();
        if (m.type() == MeasureType.NUMBER) {
            String sql = m.sql().orElseThrow(() -> at.error("a number measure needs sql over other measures",
                    "write sql: \"{revenue} / {orders}\""));
            if (!m.filters().isEmpty()) {
                throw at.child("filters").error("a number measure cannot have filters",
                        "put the filters on the measures it uses");
            }
            List<String> deps = new ArrayList<>();
            Matcher r = REF.matcher(sql);
            while (r.find()) {
                if (r.group(1).contains(".") || r.group(1).equals("CUBE")) {
                    throw at.child("sql").error("a number measure refers to measures only, not {" + r.group(1) + "}",
                            "write {measure_name}");
                }
                if (!deps.contains(r.group(1))) {
                    deps.add(r.group(1));
                }
            }
            if (deps.isEmpty()) {
                throw at.child("sql").error("'" + sql + "' refers to no measure", "write e.g. {revenue} / {orders}");
            }
            SqlNode expr;
            try {
                expr = SqlParser.create(REF.matcher(sql).replaceAll("\"$1\""), QueryCompiler.parserConfig())
                        .parseExpression();
            } catch (SqlParseException e) {
                throw at.child("sql").error("cannot parse '" + sql + "': " + firstLine(e.getMessage()),
                        "fix the expression");
            }
            checkDerived(expr, at.child("sql"));
            return new Measure(c.name(), m.name(), m.type(), Optional.of(sql), List.of(), Optional.of(expr), deps,
                    m.description(), m.format(), m.decimals(), at);
        }
        Optional<String> sql = m.sql().map(s -> column(s, at.child("sql")));
        if (sql.isEmpty() && m.type() != MeasureType.COUNT) {
            throw at.error("a " + m.type().sqlName() + " measure needs sql", "write sql: column_name");
        }
        List<String> filters = new ArrayList<>();
        for (int i = 0; i < m.filters().size(); i++) {
            filters.add(column(m.filters().get(i), at.child("filters[" + i + "]")));
        }
        return new Measure(c.name(), m.name(), m.type(), sql, filters, Optional.empty(), List.of(), m.description(),
                m.format(), m.decimals(), at);
    }

    /** Derived measures: arithmetic, numbers and a few null-safe functions over {measure} references. */
    private static void checkDerived(SqlNode n, Location at) {
        if (n instanceof SqlIdentifier || n instanceof SqlLiteral l && l.getTypeName().getFamily()
                == org.apache.calcite.sql.type.SqlTypeFamily.NUMERIC) {
            return;
        }
        if (n instanceof SqlBasicCall call) {
            SqlKind k = call.getKind();
            String fn = call.getOperator().getName().toUpperCase(Locale.ROOT);
            boolean ok = k == SqlKind.PLUS || k == SqlKind.MINUS || k == SqlKind.TIMES || k == SqlKind.DIVIDE
                    || k == SqlKind.MINUS_PREFIX || k == SqlKind.PLUS_PREFIX
                    || fn.equals("COALESCE") || fn.equals("NULLIF") || fn.equals("ABS")
                    || fn.equals("GREATEST") || fn.equals("LEAST");
            if (ok) {
                for (SqlNode o : call.getOperandList()) {
                    checkDerived(o, at);
                }
                return;
            }
        }
        throw at.error("'" + n.toString().replace('`', '"') + "' is not allowed in a number measure", "use + - * / with numbers, "
                + "{measures} and COALESCE, NULLIF, ABS, GREATEST, LEAST");
    }

    /** The base measures a measure needs, in dependency order; fails on a cycle. */
    static List<Measure> baseMeasures(Map<String, Measure> measures, Measure m, ArrayDeque<String> stack) {
        if (stack.contains(m.name())) {
            List<String> cycle = new ArrayList<>(stack);
            java.util.Collections.reverse(cycle);
            cycle.add(m.name());
            throw m.location().child("sql").error("measures refer to each other in a cycle: "
                    + String.join(" -> ", cycle), "break the cycle");
        }
        if (!m.derived()) {
            return List.of(m);
        }
        stack.push(m.name());
        Set<Measure> out = new LinkedHashSet<>();
        for (String d : m.dependencies()) {
            out.addAll(baseMeasures(measures, measures.get(d), stack));
        }
        stack.pop();
        return List.copyOf(out);
    }

    List<Measure> baseMeasures(Measure m) {
        return baseMeasures(cube(m.cube()).measures(), m, new ArrayDeque<>());
    }

    // ---------------------------------------------------------------- views

    private ViewModel view(ModelDef.View v) {
        if (!cubes.containsKey(v.cube())) {
            throw v.location().child("cube").error("unknown cube '" + v.cube() + "'",
                    hint(v.cube(), cubes.keySet(), "name the cube the view starts from"));
        }
        Map<String, Column> columns = new LinkedHashMap<>();
        for (Include inc : v.includes()) {
            String p = inc.path().trim();
            String[] parts = p.split("\\.");
            JoinPath path = JoinPath.ROOT;
            CubeModel cube = cube(v.cube());
            for (int i = 0; i < parts.length - 1; i++) {
                Join j = cube.joins().get(parts[i]);
                if (j == null) {
                    throw inc.location().error("cube " + cube.name() + " has no join '" + parts[i] + "' (in '" + p
                            + "')", hint(parts[i], cube.joins().keySet(), "joins of " + cube.name() + ": "
                            + cube.joins().keySet()));
                }
                path = path.then(parts[i]);
                cube = cube(j.target());
            }
            String member = parts[parts.length - 1];
            List<String> members = new ArrayList<>();
            if (member.equals("*")) {
                if (inc.alias().isPresent()) {
                    throw inc.location().error("'as' cannot rename '" + p + "'", "name one member to rename it");
                }
                cube.dims().values().stream().filter(d -> !d.primaryKey()).forEach(d -> members.add(d.name()));
                members.addAll(cube.measures().keySet());
            } else {
                if (!cube.dims().containsKey(member) && !cube.measures().containsKey(member)) {
                    Set<String> all = new TreeSet<>(cube.dims().keySet());
                    all.addAll(cube.measures().keySet());
                    throw inc.location().error("cube " + cube.name() + " has no member '" + member + "'",
                            hint(member, all, "members of " + cube.name() + ": " + all));
                }
                members.add(member);
            }
            for (String mem : members) {
                String name = inc.alias().orElse(path.isRoot() ? mem : parts[parts.length - 2] + "_" + mem);
                Column c = column(cube, path, mem, name);
                Column previous = columns.putIfAbsent(name, c);
                if (previous != null && !previous.ref().equals(c.ref())) {
                    throw inc.location().error("column '" + name + "' would be both " + previous.ref() + " and "
                            + c.ref(), "rename one with {member: " + c.ref() + ", as: other_name}");
                }
            }
        }
        return new ViewModel(v.name(), v.description(), v.cube(), List.copyOf(columns.values()), v.location());
    }

    private static Column column(CubeModel cube, JoinPath path, String member, String name) {
        MemberRef ref = new MemberRef(path, cube.name(), member);
        Dim d = cube.dims().get(member);
        if (d != null) {
            return new Column(name, d.kind(), ref, d.description(), d.format(), -1, Optional.of(d.type()),
                    Optional.empty());
        }
        Measure m = cube.measures().get(member);
        return new Column(name, Kind.MEASURE, ref, m.description(), Optional.of(m.format()), m.decimals(),
                Optional.empty(), Optional.of(m.type()));
    }

    // ---------------------------------------------------------------- roles

    private RoleModel role(ModelDef.Role r) {
        boolean all = r.views().contains("*");
        Set<String> vs = new LinkedHashSet<>();
        if (!all) {
            for (String v : r.views()) {
                if (!views.containsKey(v)) {
                    throw r.location().child("views").error("unknown view '" + v + "'",
                            hint(v, views.keySet(), "views: " + views.keySet()));
                }
                vs.add(v);
            }
        }
        for (String h : r.hidden()) {
            boolean found = views.values().stream().filter(v -> all || vs.contains(v.name()))
                    .anyMatch(v -> v.member(h).isPresent());
            if (!found) {
                throw r.location().child("hidden").error("'" + h + "' is not a member of the role's views",
                        "name a column (customer_full_name) or member path (customer.full_name)");
            }
        }
        List<String> members = new ArrayList<>();
        List<String> attributes = new ArrayList<>();
        if (r.rowFilter().isPresent()) {
            String f = r.rowFilter().get();
            Location at = r.location().child("row_filter");
            Matcher m = REF.matcher(f);
            while (m.find()) {
                String[] parts = m.group(1).split("\\.");
                if (parts.length != 2) {
                    throw at.error("'{" + m.group(1) + "}' is not {cube.dimension} or {user.attribute}",
                            "write e.g. {customer.region} = {user.region}");
                }
                if (parts[0].equals("user")) {
                    attributes.add(parts[1]);
                    continue;
                }
                CubeModel c = cubes.get(parts[0]);
                if (c == null || !c.dims().containsKey(parts[1])) {
                    throw at.error("unknown dimension {" + m.group(1) + "}", "write {cube.dimension}, e.g. "
                            + "{customer.region}");
                }
                members.add(m.group(1));
            }
            if (members.isEmpty()) {
                throw at.error("the row filter refers to no dimension", "write e.g. {customer.region} = {user.region}");
            }
            try {
                SqlParser.create(REF.matcher(f).replaceAll("\"x\""), QueryCompiler.parserConfig()).parseExpression();
            } catch (SqlParseException e) {
                throw at.error("cannot parse '" + f + "': " + firstLine(e.getMessage()), "fix the SQL expression");
            }
            for (String v : vs) {
                for (String mem : members) {
                    if (pathTo(views.get(v).cube(), mem.split("\\.")[0]).isEmpty()) {
                        throw at.error("view '" + v + "' cannot apply this filter: its cube " + views.get(v).cube()
                                + " does not join " + mem.split("\\.")[0], "remove the view from the role, "
                                + "or join the cube");
                    }
                }
            }
        }
        return new RoleModel(r.name(), r.description(), all, vs, Set.copyOf(r.hidden()), r.rowFilter(),
                members, attributes, r.location());
    }

    // ---------------------------------------------------------------- rollups

    private RollupModel rollup(ModelDef.Rollup r) {
        CubeModel cube = cubes.get(r.cube());
        if (cube == null) {
            throw r.location().child("cube").error("unknown cube '" + r.cube() + "'",
                    hint(r.cube(), cubes.keySet(), "name the cube whose measures it stores"));
        }
        List<Measure> requested = new ArrayList<>();
        Set<Measure> stored = new LinkedHashSet<>();
        for (String m : r.measures()) {
            Measure measure = cube.measures().get(m);
            if (measure == null) {
                throw r.location().child("measures").error("cube " + cube.name() + " has no measure '" + m + "'",
                        hint(m, cube.measures().keySet(), "measures: " + cube.measures().keySet()));
            }
            requested.add(measure);
            stored.addAll(baseMeasures(measure));
        }
        List<MemberRef> keys = new ArrayList<>();
        List<String> dimPaths = new ArrayList<>(r.dimensions());
        r.timeGrain().ifPresent(dimPaths::add);
        for (String p : dimPaths) {
            MemberRef ref = dimension(cube, p, r.location().child("dimensions"));
            if (keys.contains(ref)) {
                throw r.location().child("dimensions").error("'" + p + "' is listed twice", "list it once");
            }
            keys.add(ref);
        }
        r.timeGrain().ifPresent(t -> {
            MemberRef ref = keys.get(keys.size() - 1);
            Dim d = cubeAt(cube.name(), ref.path()).dims().get(ref.member());
            boolean inHierarchy = cubeAt(cube.name(), ref.path()).hierarchies().stream()
                    .anyMatch(h -> h.contains(ref.member()));
            if (d.type() != DimensionType.TIME && !inHierarchy) {
                throw r.location().child("time_grain").error("'" + t + "' is not a time level",
                        "name a level of a time hierarchy, e.g. date.month");
            }
        });
        Set<MemberRef> dims = new LinkedHashSet<>(keys);
        for (MemberRef k : keys) {
            for (String level : cubeAt(cube.name(), k.path()).determines(k.member())) {
                dims.add(new MemberRef(k.path(), k.cube(), level));
            }
        }
        String table = "mart." + r.name();
        return new RollupModel(r.name(), r.description(), cube.name(), requested, List.copyOf(stored), keys,
                List.copyOf(dims), r.allowStale(), table, fingerprint(cube, stored, dims), r.location());
    }

    private MemberRef dimension(CubeModel root, String p, Location at) {
        String[] parts = p.trim().split("\\.");
        JoinPath path = JoinPath.ROOT;
        CubeModel cube = root;
        for (int i = 0; i < parts.length - 1; i++) {
            Join j = cube.joins().get(parts[i]);
            if (j == null) {
                throw at.error("cube " + cube.name() + " has no join '" + parts[i] + "' (in '" + p + "')",
                        hint(parts[i], cube.joins().keySet(), "joins: " + cube.joins().keySet()));
            }
            if (j.relationship() == Relationship.ONE_TO_MANY) {
                throw at.error("'" + p + "' goes through the one_to_many join " + parts[i]
                        + ", which would repeat the cube's rows", "use dimensions reached by many_to_one joins");
            }
            path = path.then(parts[i]);
            cube = cube(j.target());
        }
        String member = parts[parts.length - 1];
        if (!cube.dims().containsKey(member)) {
            throw at.error("cube " + cube.name() + " has no dimension '" + member + "' (in '" + p + "')",
                    hint(member, cube.dims().keySet(), "dimensions: " + cube.dims().keySet()));
        }
        return new MemberRef(path, cube.name(), member);
    }

    /** Changes whenever what the rollup table holds would change: then the stored table is not used. */
    private String fingerprint(CubeModel root, Collection<Measure> measures, Collection<MemberRef> dims) {
        StringBuilder b = new StringBuilder("v1|").append(root.fromSql());
        for (Measure m : measures) {
            b.append("|m:").append(m.name()).append(':').append(m.type()).append(':').append(m.sql().orElse(""))
                    .append(':').append(m.filters());
        }
        for (MemberRef d : dims) {
            CubeModel c = cubeAt(root.name(), d.path());
            b.append("|d:").append(d).append(':').append(c.dims().get(d.member()).sql()).append(':')
                    .append(c.fromSql());
            JoinPath p = JoinPath.ROOT;
            CubeModel from = root;
            for (String j : d.path().joins()) {
                b.append(":j:").append(from.joins().get(j).sql());
                from = cube(from.joins().get(j).target());
                p = p.then(j);
            }
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- helpers

    static String quoteQualified(String name) {
        StringBuilder b = new StringBuilder();
        for (String part : name.split("\\.")) {
            if (!b.isEmpty()) {
                b.append('.');
            }
            b.append(quote(part));
        }
        return b.toString();
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String hint(String word, Collection<String> candidates, String otherwise) {
        return YamlNode.closest(word, candidates).map(c -> "did you mean '" + c + "'?").orElse(otherwise);
    }

    static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse(s);
    }
}
