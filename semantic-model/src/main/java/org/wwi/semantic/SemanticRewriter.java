package org.wwi.semantic;

import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;
import org.wwi.semantic.Bases.Base;
import org.wwi.semantic.Bases.RowFilter;
import org.wwi.semantic.Catalog.Column;
import org.wwi.semantic.Catalog.JoinPath;
import org.wwi.semantic.Catalog.Measure;
import org.wwi.semantic.Catalog.MemberRef;
import org.wwi.semantic.Catalog.RoleModel;
import org.wwi.semantic.Catalog.RollupModel;
import org.wwi.semantic.Catalog.ViewModel;
import org.wwi.semantic.ModelDef.MeasureType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
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
 * Replaces every scan of a semantic view by relational algebra over the warehouse. An aggregate
 * over a view (through projections and filters) becomes one aggregate over the detail star join
 * or over a rollup table; a view read without aggregate is grouped by the dimensions it reads.
 * Measures are computed at the query's grain: ratios from the sums of their parts, distinct
 * counts never re-summed. Anything that would give a wrong number is refused with the reason.
 */
final class SemanticRewriter {
    private static final Pattern PINNING_FILTER =
            Pattern.compile("\\s*\\{(\\w+\\.\\w+)}\\s*=\\s*\\{user\\.\\w+}\\s*");

    /** Everything a rewrite needs besides the plan. */
    record Context(Catalog catalog, Principal principal, Optional<RoleModel> role, RollupStates.Snapshot rollupState,
                   boolean rollupsEnabled, Bases.Converter converter) {
    }

    private final Context ctx;
    private final RexBuilder rex;
    private final RelDataTypeFactory types;
    private final RelBuilder builder;
    final Set<String> rollupsUsed = new TreeSet<>();
    final List<String> notes = new ArrayList<>();

    SemanticRewriter(Context ctx, RelNode anyNode) {
        this.ctx = requireNonNull(ctx, "ctx is null");
        this.rex = anyNode.getCluster().getRexBuilder();
        this.types = anyNode.getCluster().getTypeFactory();
        // no simplification: a contradiction (the role's region and another one) must stay a filter that
        // PostgreSQL evaluates, not become an empty VALUES whose NULL columns PostgreSQL cannot type
        this.builder = QueryCompiler.NO_SIMPLIFY.create(anyNode.getCluster(), null);
    }

    /** A chain of projections and filters over one view scan, flattened onto the scan's fields. */
    private record Chain(SemanticTable table, RelNode top, List<RexNode> exprs, List<RexNode> conditions,
                         List<SemiJoin> semiJoins) {
    }

    /**
     * A semi- or anti-join filtering the view's rows (an {@code IN} or {@code EXISTS} sub-query):
     * its condition refers to the scan's fields, then to the right side's from {@code scanFields}.
     */
    private record SemiJoin(JoinRelType type, RelNode right, RexNode condition, int scanFields) {
    }

    /** One aggregate call of the query, planned. */
    private sealed interface CallPlan permits MeasureCall, DimensionCall, GroupingCall {
    }

    private record MeasureCall(Column column) implements CallPlan {
    }

    private record DimensionCall(SqlKind kind, boolean distinct, int arg) implements CallPlan {
    }

    private record GroupingCall(AggregateCall call) implements CallPlan {
    }

    RelNode rewrite(RelNode node) {
        if (node instanceof Aggregate agg) {
            Chain chain = chain(agg.getInput());
            if (chain != null) {
                return aggregate(agg, chain);
            }
        }
        Chain chain = chain(node);
        if (chain != null) {
            return implicit(chain);
        }
        checkNoSubQuery(node);
        if (node instanceof Aggregate agg) {
            for (AggregateCall call : agg.getAggCallList()) {
                if (call.getAggregation() instanceof MeasureFunction) {
                    throw refused("Cannot use MEASURE(" + agg.getInput().getRowType().getFieldNames()
                            .get(call.getArgList().get(0)) + ") here: MEASURE aggregates a view directly (FROM view "
                            + "[WHERE ...] GROUP BY ...), not the result of a join, union or sub-query; aggregate each "
                            + "view in its own sub-query and join the results");
                }
            }
        }
        List<RelNode> inputs = new ArrayList<>();
        for (RelNode in : node.getInputs()) {
            inputs.add(rewrite(in));
        }
        return inputs.isEmpty() ? node : node.copy(node.getTraitSet(), inputs);
    }

    private static void checkNoSubQuery(RelNode node) {
        if (node instanceof Filter f && RexUtil.SubQueryFinder.find(List.of(f.getCondition())) != null
                || node instanceof Project p && RexUtil.SubQueryFinder.find(p.getProjects()) != null) {
            throw refused("Cannot plan a sub-query in this position (rewrite it as a join)");
        }
    }

    // ---------------------------------------------------------------- chains

    private Chain chain(RelNode top) {
        List<RelNode> nodes = new ArrayList<>();
        RelNode cur = top;
        while (cur instanceof Project p && !RexOver.containsOver(p.getProjects(), null)
                && RexUtil.SubQueryFinder.find(p.getProjects()) == null
                || cur instanceof Filter f && RexUtil.SubQueryFinder.find(List.of(f.getCondition())) == null
                || cur instanceof Join j && (j.getJoinType() == JoinRelType.SEMI || j.getJoinType() == JoinRelType.ANTI)) {
            nodes.add(cur);
            cur = cur.getInput(0);
        }
        if (!(cur instanceof TableScan scan)) {
            return null;
        }
        SemanticTable table = scan.getTable().unwrap(SemanticTable.class);
        if (table == null) {
            return null;
        }
        int scanFields = scan.getRowType().getFieldCount();
        List<RexNode> exprs = new ArrayList<>();
        for (int i = 0; i < scanFields; i++) {
            exprs.add(rex.makeInputRef(scan, i));
        }
        List<RexNode> conditions = new ArrayList<>();
        List<SemiJoin> semiJoins = new ArrayList<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            RelNode n = nodes.get(i);
            List<RexNode> below = exprs;
            int left = n.getInput(0).getRowType().getFieldCount();
            RexShuttle substitute = new RexShuttle() {
                @Override
                public RexNode visitInputRef(RexInputRef ref) {
                    if (ref.getIndex() >= left) {
                        // the right side of a semi-join: after the scan's fields
                        return new RexInputRef(scanFields + ref.getIndex() - left, ref.getType());
                    }
                    return below.get(ref.getIndex());
                }

                @Override
                public RexNode visitCorrelVariable(RexCorrelVariable v) {
                    throw refused("Cannot plan a correlated sub-query over view " + table.view.name()
                            + " (rewrite it as a join)");
                }
            };
            if (n instanceof Filter f) {
                conditions.add(f.getCondition().accept(substitute));
            } else if (n instanceof Join j) {
                semiJoins.add(new SemiJoin(j.getJoinType(), j.getRight(), j.getCondition().accept(substitute),
                        scanFields));
            } else {
                List<RexNode> next = new ArrayList<>();
                for (RexNode e : ((Project) n).getProjects()) {
                    next.add(e.accept(substitute));
                }
                exprs = next;
            }
        }
        return new Chain(table, top, exprs, conditions, semiJoins);
    }

    /** Filters then semi-joins, on the base rows; returns the base's field count for later references. */
    private void filterBase(RelBuilder rb, SemanticTable t, Base b, Chain ch) {
        if (!ch.conditions().isEmpty()) {
            rb.filter(remap(t, b, ch.conditions()));
        }
        for (SemiJoin sj : ch.semiJoins()) {
            int baseFields = b.rel().getRowType().getFieldCount();
            RexNode condition = sj.condition().accept(new RexShuttle() {
                @Override
                public RexNode visitInputRef(RexInputRef ref) {
                    if (ref.getIndex() >= sj.scanFields()) {
                        return new RexInputRef(baseFields + ref.getIndex() - sj.scanFields(), ref.getType());
                    }
                    return remap(t, b, List.of(ref)).get(0);
                }
            });
            rb.push(rewrite(sj.right()));
            rb.join(sj.type(), condition);
        }
    }

    // ---------------------------------------------------------------- aggregate over a view

    private RelNode aggregate(Aggregate agg, Chain ch) {
        SemanticTable t = ch.table();
        List<RexNode> in = ch.exprs();
        List<Integer> keys = agg.getGroupSet().asList();
        for (int k : keys) {
            requireDimensions(t, in.get(k), "GROUP BY");
        }
        for (RexNode c : ch.conditions()) {
            requireDimensions(t, c, "WHERE");
        }
        for (SemiJoin j : ch.semiJoins()) {
            requireDimensions(t, scanPart(j), "WHERE ... IN");
        }
        List<CallPlan> plans = new ArrayList<>();
        for (AggregateCall call : agg.getAggCallList()) {
            plans.add(classify(t, in, call));
        }

        // members used
        LinkedHashSet<Integer> dimFields = new LinkedHashSet<>();
        keys.forEach(k -> dimFields.addAll(fields(in.get(k))));
        ch.conditions().forEach(c -> dimFields.addAll(fields(c)));
        ch.semiJoins().forEach(j -> dimFields.addAll(scanFields(j)));
        plans.forEach(p -> {
            if (p instanceof DimensionCall d) {
                dimFields.addAll(fields(in.get(d.arg())));
            }
        });
        List<MemberRef> dims = refs(t, dimFields);
        LinkedHashSet<MemberRef> requested = new LinkedHashSet<>();
        plans.forEach(p -> {
            if (p instanceof MeasureCall m) {
                requested.add(m.column().ref());
            }
        });
        List<MemberRef> base = baseMeasures(requested);

        Set<MemberRef> grouped = new LinkedHashSet<>();
        for (int k : keys) {
            if (in.get(k) instanceof RexInputRef r) {
                grouped.add(t.columns.get(r.getIndex()).ref());
            }
        }
        Set<MemberRef> pinned = pinned(t, ch.conditions());
        Base b = base(t.view, dims, grouped, pinned, base, agg.getGroupType() == Aggregate.Group.SIMPLE);

        RelBuilder rb = builder;
        rb.push(b.rel());
        filterBase(rb, t, b, ch);
        List<RexNode> proj = new ArrayList<>(remap(t, b, keys.stream().map(in::get).toList()));
        Map<MemberRef, int[]> inputPos = new LinkedHashMap<>();
        for (MemberRef m : base) {
            int[] cols = b.measurePos().get(m);
            int[] pos = new int[cols.length];
            for (int i = 0; i < cols.length; i++) {
                pos[i] = proj.size();
                proj.add(rex.makeInputRef(b.rel(), cols[i]));
            }
            inputPos.put(m, pos);
        }
        Map<Integer, Integer> dimArgPos = new LinkedHashMap<>();
        for (CallPlan p : plans) {
            if (p instanceof DimensionCall d && !dimArgPos.containsKey(d.arg())) {
                dimArgPos.put(d.arg(), proj.size());
                proj.add(remap(t, b, List.of(in.get(d.arg()))).get(0));
            }
        }
        rb.project(proj);

        List<RelBuilder.AggCall> calls = new ArrayList<>();
        Map<MemberRef, int[]> partialOut = partialCalls(rb, base, inputPos, b.rollup().isPresent(), calls,
                keys.size());
        Map<Integer, Integer> planOut = new LinkedHashMap<>();
        for (int i = 0; i < plans.size(); i++) {
            CallPlan p = plans.get(i);
            if (p instanceof DimensionCall d) {
                RexNode f = rb.field(dimArgPos.get(d.arg()));
                planOut.put(i, keys.size() + calls.size());
                calls.add(switch (d.kind()) {
                    case MIN -> rb.min(f);
                    case MAX -> rb.max(f);
                    default -> rb.count(true, null, f);
                });
            } else if (p instanceof GroupingCall g) {
                List<RexNode> args = g.call().getArgList().stream().map(a -> (RexNode) rb.field(keys.indexOf(a)))
                        .toList();
                planOut.put(i, keys.size() + calls.size());
                calls.add(rb.aggregateCall(g.call().getAggregation(), args));
            }
        }
        List<ImmutableBitSet> groupSets = new ArrayList<>();
        for (ImmutableBitSet s : agg.getGroupSets()) {
            groupSets.add(ImmutableBitSet.of(s.asList().stream().map(keys::indexOf).toList()));
        }
        rb.aggregate(rb.groupKey(ImmutableBitSet.range(keys.size()), groupSets), calls);
        RelNode aggregated = rb.peek();

        List<RexNode> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            out.add(rex.makeInputRef(aggregated, i));
        }
        for (int i = 0; i < plans.size(); i++) {
            CallPlan p = plans.get(i);
            if (p instanceof MeasureCall m) {
                out.add(finalValue(m.column().ref(), aggregated, partialOut, b.rollup().isPresent()));
            } else {
                out.add(rex.makeInputRef(aggregated, planOut.get(i)));
            }
        }
        rb.project(castAll(out, agg.getRowType()), agg.getRowType().getFieldNames(), true);
        return rb.build();
    }

    private CallPlan classify(SemanticTable t, List<RexNode> in, AggregateCall call) {
        SqlKind kind = call.getAggregation().getKind();
        String fn = call.getAggregation().getName().equalsIgnoreCase(MeasureFunction.NAME) ? "MEASURE"
                : call.getAggregation().getName().toUpperCase(Locale.ROOT);
        if (kind == SqlKind.GROUPING || kind == SqlKind.GROUP_ID) {
            return new GroupingCall(call);
        }
        if (call.getArgList().isEmpty()) {
            throw refused("Cannot count rows of view " + t.view.name() + " with " + fn + "(*): its rows are "
                    + "combinations of dimension values, not facts (use a count measure such as "
                    + measuresOfType(t, MeasureType.COUNT) + " with MEASURE(...))");
        }
        if (call.filterArg >= 0) {
            throw refused("Cannot use " + fn + "(...) FILTER (WHERE ...) on view " + t.view.name()
                    + " (filter in WHERE, or use a segment)");
        }
        RexNode arg = in.get(call.getArgList().get(0));
        Set<Integer> used = fields(arg);
        boolean usesMeasure = used.stream().anyMatch(i -> t.columns.get(i).isMeasure());
        if (arg instanceof RexInputRef ref && t.columns.get(ref.getIndex()).isMeasure()) {
            Column c = t.columns.get(ref.getIndex());
            Measure m = measure(c.ref());
            if (!fn.equals("MEASURE")) {
                checkAggregation(c, m, fn, kind, call.isDistinct());
            }
            return new MeasureCall(c);
        }
        if (usesMeasure) {
            throw refused("Cannot aggregate an expression over measure(s) " + names(t, used, true) + " with " + fn
                    + ": measures are aggregated already (compute on MEASURE(...) results, e.g. "
                    + "MEASURE(a) * 2, not " + fn + "(a * 2))");
        }
        if (kind == SqlKind.MIN || kind == SqlKind.MAX || kind == SqlKind.COUNT && call.isDistinct()) {
            return new DimensionCall(kind, call.isDistinct(), call.getArgList().get(0));
        }
        throw refused("Cannot aggregate dimension " + names(t, used, false) + " with " + fn + (call.isDistinct()
                ? "(DISTINCT ...)" : "") + ": dimensions group and filter, they are not summed (use a measure of "
                + "view " + t.view.name() + ", or MIN, MAX, COUNT(DISTINCT ...) of the dimension)");
    }

    /** The aggregate functions accepted as another name for MEASURE(m), per measure type. */
    private static void checkAggregation(Column c, Measure m, String fn, SqlKind kind, boolean distinct) {
        MeasureType type = m.type();
        boolean ok = switch (type) {
            case SUM -> kind == SqlKind.SUM && !distinct;
            case COUNT -> kind == SqlKind.SUM && !distinct;
            case COUNT_DISTINCT -> kind == SqlKind.COUNT && distinct;
            case AVG -> kind == SqlKind.AVG && !distinct;
            case MIN -> kind == SqlKind.MIN;
            case MAX -> kind == SqlKind.MAX;
            case NUMBER -> false;
        };
        if (ok) {
            return;
        }
        String name = c.name();
        String accepted = switch (type) {
            case SUM -> "SUM(" + name + ")";
            case COUNT -> "SUM(" + name + ")";
            case COUNT_DISTINCT -> "COUNT(DISTINCT " + name + ")";
            case AVG -> "AVG(" + name + ")";
            case MIN -> "MIN(" + name + ")";
            case MAX -> "MAX(" + name + ")";
            case NUMBER -> null;
        };
        String why = switch (type) {
            case NUMBER -> "it is computed from other measures (" + m.sql().orElse("") + ") at the query's grain, "
                    + "and a " + fn.toLowerCase(Locale.ROOT) + " of such values over sub-groups is not the value "
                    + "for the group (a sum of ratios is not a ratio)";
            case COUNT_DISTINCT -> "it counts distinct values exactly at the query's grain; "
                    + fn.toLowerCase(Locale.ROOT) + (distinct ? "(DISTINCT)" : "") + " of the counts of sub-groups "
                    + "would count a value seen in several of them more than once";
            case AVG -> "it is an average weighted by rows; a " + fn.toLowerCase(Locale.ROOT)
                    + " of sub-group averages is not the group's average";
            default -> "a " + type.sqlName() + " measure combined with " + fn + " does not give the measure";
        };
        throw refused("Cannot aggregate measure " + name + " with " + fn + (distinct ? "(DISTINCT ...)" : "")
                + ": " + why + " (write MEASURE(" + name + ")" + (accepted == null ? "" : " or " + accepted) + ")");
    }

    // ---------------------------------------------------------------- a view read without aggregate

    /**
     * A view read without GROUP BY (in a join, a union, {@code SELECT *}) is a table at the grain of
     * all its dimensions: one row per combination of their values, each measure at that grain.
     * The grain does not depend on the columns selected, so the planner's projections and field
     * trimming cannot change the result.
     */
    private RelNode implicit(Chain ch) {
        SemanticTable t = ch.table();
        for (RexNode c : ch.conditions()) {
            requireDimensions(t, c, "WHERE");
        }
        for (SemiJoin j : ch.semiJoins()) {
            requireDimensions(t, scanPart(j), "WHERE ... IN");
        }
        List<Integer> grain = new ArrayList<>();
        for (int i = 0; i < t.columns.size(); i++) {
            if (!t.columns.get(i).isMeasure()) {
                grain.add(i);
            }
        }
        TreeSet<Integer> measureFields = new TreeSet<>();
        for (RexNode e : ch.exprs()) {
            for (int f : fields(e)) {
                if (t.columns.get(f).isMeasure()) {
                    measureFields.add(f);
                }
            }
        }
        LinkedHashSet<Integer> allDims = new LinkedHashSet<>(grain);
        ch.conditions().forEach(c -> allDims.addAll(fields(c)));
        ch.semiJoins().forEach(j -> allDims.addAll(scanFields(j)));
        List<MemberRef> dims = refs(t, allDims);
        LinkedHashSet<MemberRef> requested = new LinkedHashSet<>();
        measureFields.forEach(f -> requested.add(t.columns.get(f).ref()));
        List<MemberRef> base = baseMeasures(requested);
        Base b = base(t.view, dims, new LinkedHashSet<>(refs(t, grain)), pinned(t, ch.conditions()), base, true);

        RelBuilder rb = builder;
        rb.push(b.rel());
        filterBase(rb, t, b, ch);
        List<RexNode> proj = new ArrayList<>();
        for (int f : grain) {
            proj.add(remap(t, b, List.of(rex.makeInputRef(t.types.get(f).toType(types), f))).get(0));
        }
        Map<MemberRef, int[]> inputPos = new LinkedHashMap<>();
        for (MemberRef m : base) {
            int[] cols = b.measurePos().get(m);
            int[] pos = new int[cols.length];
            for (int i = 0; i < cols.length; i++) {
                pos[i] = proj.size();
                proj.add(rex.makeInputRef(b.rel(), cols[i]));
            }
            inputPos.put(m, pos);
        }
        if (proj.isEmpty()) {
            proj.add(rex.makeExactLiteral(BigDecimal.ONE));
        }
        rb.project(proj);
        List<RelBuilder.AggCall> calls = new ArrayList<>();
        Map<MemberRef, int[]> partialOut = partialCalls(rb, base, inputPos, b.rollup().isPresent(), calls,
                grain.size());
        rb.aggregate(rb.groupKey(ImmutableBitSet.range(grain.size())), calls);
        RelNode aggregated = rb.peek();
        Map<Integer, RexNode> valueOf = new LinkedHashMap<>();
        for (int i = 0; i < grain.size(); i++) {
            valueOf.put(grain.get(i), rex.makeInputRef(aggregated, i));
        }
        for (int f : measureFields) {
            valueOf.put(f, finalValue(t.columns.get(f).ref(), aggregated, partialOut, b.rollup().isPresent()));
        }
        RexShuttle substitute = new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                RexNode v = valueOf.get(ref.getIndex());
                return castTo(v, ref.getType());
            }
        };
        List<RexNode> out = new ArrayList<>();
        for (RexNode e : ch.exprs()) {
            out.add(e.accept(substitute));
        }
        RelDataType rowType = ch.top().getRowType();
        rb.project(castAll(out, rowType), rowType.getFieldNames(), true);
        return rb.build();
    }

    // ---------------------------------------------------------------- base rows and rollup choice

    private Base base(ViewModel view, List<MemberRef> dims, Set<MemberRef> grouped, Set<MemberRef> pinned,
                      List<MemberRef> measures, boolean singleGrouping) {
        Optional<RowFilter> rowFilter = rowFilter(view);
        Set<MemberRef> used = new LinkedHashSet<>(dims);
        Set<MemberRef> pinnedAll = new LinkedHashSet<>(pinned);
        rowFilter.ifPresent(f -> {
            used.addAll(f.members());
            if (f.members().size() == 1 && PINNING_FILTER.matcher(ctx.role().orElseThrow().rowFilter().orElseThrow())
                    .matches()) {
                pinnedAll.add(f.members().get(0));
            }
        });
        Optional<RollupModel> rollup = Optional.empty();
        String why = "rollups disabled for this session";
        if (ctx.rollupsEnabled()) {
            List<String> reasons = new ArrayList<>();
            rollup = choose(view, used, grouped, pinnedAll, measures, singleGrouping, reasons);
            why = reasons.isEmpty() ? "no rollup on cube " + view.cube() : String.join("; ", reasons);
        }
        if (rollup.isPresent()) {
            rollupsUsed.add(rollup.get().name());
            notes.add("view " + view.name() + ": rollup " + rollup.get().name() + " (" + rollup.get().table() + ")");
            return Bases.rollup(ctx.catalog(), rollup.get(), dims, measures, rowFilter, ctx.converter());
        }
        notes.add("view " + view.name() + ": detail tables (" + why + ")");
        return Bases.detail(ctx.catalog(), view.cube(), dims, measures, rowFilter, ctx.converter());
    }

    private Optional<RollupModel> choose(ViewModel view, Set<MemberRef> used, Set<MemberRef> grouped,
                                         Set<MemberRef> pinned, List<MemberRef> measures, boolean singleGrouping,
                                         List<String> reasons) {
        Catalog cat = ctx.catalog();
        boolean distinct = measures.stream().anyMatch(m -> measure(m).type() == MeasureType.COUNT_DISTINCT);
        Set<MemberRef> covered = new LinkedHashSet<>();
        for (MemberRef g : grouped) {
            covered.add(g);
            cat.cubeAt(view.cube(), g.path()).determines(g.member())
                    .forEach(l -> covered.add(new MemberRef(g.path(), g.cube(), l)));
        }
        covered.addAll(pinned);
        List<RollupModel> fit = new ArrayList<>();
        for (RollupModel r : cat.rollups.values()) {
            if (!r.cube().equals(view.cube())) {
                continue;
            }
            Optional<String> unusable = ctx.rollupState().unusable(r);
            if (unusable.isPresent()) {
                reasons.add(r.name() + ": " + unusable.get());
                continue;
            }
            Set<MemberRef> stored = new LinkedHashSet<>(r.dimensions());
            List<MemberRef> missingDims = used.stream().filter(d -> !stored.contains(d)).toList();
            if (!missingDims.isEmpty()) {
                reasons.add(r.name() + ": does not store " + missingDims);
                continue;
            }
            Set<String> storedMeasures = new TreeSet<>(r.stored().stream().map(Measure::name).toList());
            List<MemberRef> missing = measures.stream().filter(m -> !m.path().isRoot()
                    || !storedMeasures.contains(m.member())).toList();
            if (!missing.isEmpty()) {
                reasons.add(r.name() + ": does not store " + missing);
                continue;
            }
            if (distinct) {
                List<MemberRef> loose = r.keys().stream().filter(k -> !covered.contains(k)).toList();
                if (!singleGrouping || !loose.isEmpty()) {
                    reasons.add(r.name() + ": distinct counts are stored per " + r.keys() + " and cannot be "
                            + "re-added over " + (loose.isEmpty() ? "grouping sets" : loose));
                    continue;
                }
            }
            fit.add(r);
        }
        return fit.stream().min(Comparator.comparingLong((RollupModel r) -> ctx.rollupState().rows(r.name()))
                .thenComparingInt(r -> r.dimensions().size()));
    }

    private Optional<RowFilter> rowFilter(ViewModel view) {
        if (ctx.role().isEmpty() || ctx.role().get().rowFilter().isEmpty()) {
            return Optional.empty();
        }
        RoleModel role = ctx.role().get();
        String template = role.rowFilter().get();
        Matcher m = Catalog.REF.matcher(template);
        StringBuilder b = new StringBuilder();
        List<MemberRef> members = new ArrayList<>();
        while (m.find()) {
            String[] parts = m.group(1).split("\\.");
            if (parts[0].equals("user")) {
                String value = ctx.principal().attributes().get(parts[1]);
                if (value == null) {
                    throw new SemanticException(SemanticErrorCode.ACCESS_DENIED, "Cannot apply the row filter of "
                            + "role " + role.name() + ": user '" + ctx.principal().user() + "' has no attribute '"
                            + parts[1] + "' (set it in the user's attributes in serve.yaml)");
                }
                m.appendReplacement(b, Matcher.quoteReplacement(SqlText.literal(value)));
            } else {
                JoinPath p = ctx.catalog().pathTo(view.cube(), parts[0]).orElseThrow(() -> new SemanticException(
                        SemanticErrorCode.ACCESS_DENIED, "Cannot query view " + view.name() + " as role "
                        + role.name() + ": its row filter on " + m.group(1) + " cannot be applied to this view"));
                MemberRef ref = new MemberRef(p, parts[0], parts[1]);
                if (!members.contains(ref)) {
                    members.add(ref);
                }
                m.appendReplacement(b, Matcher.quoteReplacement(m.group()));
            }
        }
        m.appendTail(b);
        return Optional.of(new RowFilter(b.toString(), members));
    }

    // ---------------------------------------------------------------- measures

    /** Aggregate calls computing each base measure's partial values; returns their output positions. */
    private Map<MemberRef, int[]> partialCalls(RelBuilder rb, List<MemberRef> base, Map<MemberRef, int[]> inputPos,
                                               boolean fromRollup, List<RelBuilder.AggCall> calls, int groupCount) {
        Map<MemberRef, int[]> out = new LinkedHashMap<>();
        for (MemberRef ref : base) {
            Measure m = measure(ref);
            int[] in = inputPos.get(ref);
            List<RelBuilder.AggCall> mine = new ArrayList<>();
            RexNode f0 = rb.field(in[0]);
            switch (m.type()) {
                case SUM -> mine.add(rb.sum(f0));
                case COUNT -> mine.add(fromRollup ? rb.sum(f0) : rb.count(false, null, f0));
                case COUNT_DISTINCT -> mine.add(fromRollup ? rb.sum(f0) : rb.count(true, null, f0));
                case MIN -> mine.add(rb.min(f0));
                case MAX -> mine.add(rb.max(f0));
                case AVG -> {
                    mine.add(rb.sum(f0));
                    mine.add(fromRollup ? rb.sum(rb.field(in[1])) : rb.count(false, null, f0));
                }
                case NUMBER -> throw new IllegalStateException("derived measure has no partials: " + ref);
            }
            int[] pos = new int[mine.size()];
            for (int i = 0; i < mine.size(); i++) {
                pos[i] = groupCount + calls.size();
                calls.add(mine.get(i));
            }
            out.put(ref, pos);
        }
        return out;
    }

    /** A measure's value from the aggregate's partials: ratios and averages after aggregation. */
    private RexNode finalValue(MemberRef ref, RelNode agg, Map<MemberRef, int[]> partial, boolean fromRollup) {
        Measure m = measure(ref);
        if (m.derived()) {
            return derived(m.expression().orElseThrow(), ref, agg, partial, fromRollup);
        }
        int[] p = partial.get(ref);
        RexNode first = rex.makeInputRef(agg, p[0]);
        return switch (m.type()) {
            case COUNT, COUNT_DISTINCT -> fromRollup
                    ? rex.makeCall(SqlStdOperatorTable.COALESCE, first, rex.makeZeroLiteral(first.getType()))
                    : first;
            case AVG -> divide(toDouble(first), toDouble(rex.makeInputRef(agg, p[1])));
            default -> first;
        };
    }

    private RexNode derived(SqlNode e, MemberRef owner, RelNode agg, Map<MemberRef, int[]> partial,
                            boolean fromRollup) {
        if (e instanceof SqlIdentifier id) {
            MemberRef dep = new MemberRef(owner.path(), owner.cube(), id.getSimple());
            return toDouble(finalValue(dep, agg, partial, fromRollup));
        }
        if (e instanceof SqlLiteral lit) {
            return rex.makeApproxLiteral(lit.bigDecimalValue(), doubleType());
        }
        SqlBasicCall call = (SqlBasicCall) e;
        List<RexNode> ops = new ArrayList<>();
        for (SqlNode o : call.getOperandList()) {
            ops.add(derived(o, owner, agg, partial, fromRollup));
        }
        String fn = call.getOperator().getName().toUpperCase(Locale.ROOT);
        return switch (call.getKind()) {
            case PLUS -> rex.makeCall(SqlStdOperatorTable.PLUS, ops);
            case MINUS -> rex.makeCall(SqlStdOperatorTable.MINUS, ops);
            case TIMES -> rex.makeCall(SqlStdOperatorTable.MULTIPLY, ops);
            case DIVIDE -> divide(ops.get(0), ops.get(1));
            case MINUS_PREFIX -> rex.makeCall(SqlStdOperatorTable.UNARY_MINUS, ops);
            case PLUS_PREFIX -> ops.get(0);
            default -> switch (fn) {
                case "COALESCE" -> rex.makeCall(SqlStdOperatorTable.COALESCE, ops);
                case "NULLIF" -> rex.makeCall(SqlStdOperatorTable.CASE,
                        rex.makeCall(SqlStdOperatorTable.EQUALS, ops.get(0), ops.get(1)),
                        rex.makeNullLiteral(doubleType()), ops.get(0));
                case "ABS" -> rex.makeCall(SqlStdOperatorTable.ABS, ops);
                case "GREATEST" -> rex.makeCall(SqlLibraryOperators.GREATEST, ops);
                case "LEAST" -> rex.makeCall(SqlLibraryOperators.LEAST, ops);
                default -> throw new IllegalStateException("unexpected operator in derived measure: " + fn);
            };
        };
    }

    /** Division that gives NULL, not an error, when the denominator is zero. */
    private RexNode divide(RexNode a, RexNode b) {
        return rex.makeCall(SqlStdOperatorTable.CASE,
                rex.makeCall(SqlStdOperatorTable.EQUALS, b, rex.makeApproxLiteral(BigDecimal.ZERO, doubleType())),
                rex.makeNullLiteral(doubleType()),
                rex.makeCall(SqlStdOperatorTable.DIVIDE, a, b));
    }

    private RelDataType doubleType() {
        return types.createTypeWithNullability(types.createSqlType(SqlTypeName.DOUBLE), true);
    }

    private RexNode toDouble(RexNode e) {
        return e.getType().getSqlTypeName() == SqlTypeName.DOUBLE ? e : rex.makeCast(doubleType(), e, true, false);
    }

    private List<MemberRef> baseMeasures(Set<MemberRef> requested) {
        LinkedHashSet<MemberRef> out = new LinkedHashSet<>();
        for (MemberRef r : requested) {
            for (Measure b : ctx.catalog().baseMeasures(measure(r))) {
                out.add(new MemberRef(r.path(), b.cube(), b.name()));
            }
        }
        return List.copyOf(out);
    }

    private Measure measure(MemberRef ref) {
        return ctx.catalog().cube(ref.cube()).measures().get(ref.member());
    }

    // ---------------------------------------------------------------- expressions

    /** Re-points references to view columns at the base's columns. */
    private List<RexNode> remap(SemanticTable t, Base b, List<RexNode> exprs) {
        RexShuttle shuttle = new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                MemberRef m = t.columns.get(ref.getIndex()).ref();
                Integer pos = b.dimPos().get(m);
                if (pos == null) {
                    throw new IllegalStateException("dimension not in base: " + m);
                }
                return castTo(rex.makeInputRef(b.rel(), pos), ref.getType());
            }
        };
        List<RexNode> out = new ArrayList<>();
        for (RexNode e : exprs) {
            out.add(e.accept(shuttle));
        }
        return out;
    }

    /** {@code e} as {@code type}: unchanged when only nullability differs, else cast. */
    private RexNode castTo(RexNode e, RelDataType type) {
        if (SqlTypeUtil.equalSansNullability(types, e.getType(), type)) {
            return e;
        }
        return rex.makeCast(types.createTypeWithNullability(type, e.getType().isNullable()), e, true, false);
    }

    private List<RexNode> castAll(List<RexNode> exprs, RelDataType rowType) {
        List<RexNode> out = new ArrayList<>();
        for (int i = 0; i < exprs.size(); i++) {
            RelDataType want = rowType.getFieldList().get(i).getType();
            RexNode e = exprs.get(i);
            out.add(e.getType().equals(want) ? e : rex.makeAbstractCast(want, e, false));
        }
        return out;
    }

    /** The scan fields a semi-join condition uses. */
    private static Set<Integer> scanFields(SemiJoin j) {
        Set<Integer> out = new TreeSet<>();
        for (int f : fields(j.condition())) {
            if (f < j.scanFields()) {
                out.add(f);
            }
        }
        return out;
    }

    /** A stand-in expression over the scan fields of a semi-join condition (for checks). */
    private RexNode scanPart(SemiJoin j) {
        List<RexNode> refs = new ArrayList<>();
        for (int f : scanFields(j)) {
            refs.add(new RexInputRef(f, types.createSqlType(SqlTypeName.ANY)));
        }
        return refs.isEmpty() ? rex.makeLiteral(true) : refs.size() == 1 ? refs.get(0)
                : rex.makeCall(SqlStdOperatorTable.ROW, refs);
    }

    private static Set<Integer> fields(RexNode e) {
        return new TreeSet<>(RelOptUtil.InputFinder.bits(e).asList());
    }

    private static List<MemberRef> refs(SemanticTable t, Iterable<Integer> fields) {
        LinkedHashSet<MemberRef> out = new LinkedHashSet<>();
        for (int f : fields) {
            out.add(t.columns.get(f).ref());
        }
        return List.copyOf(out);
    }

    private static void requireDimensions(SemanticTable t, RexNode e, String clause) {
        Set<Integer> measures = new TreeSet<>();
        for (int f : fields(e)) {
            if (t.columns.get(f).isMeasure()) {
                measures.add(f);
            }
        }
        if (!measures.isEmpty()) {
            String m = names(t, measures, true);
            throw refused(clause.equals("WHERE")
                    ? "Cannot filter on measure " + m + " in WHERE: measures exist per group, not per row (write "
                    + "HAVING MEASURE(" + t.columns.get(measures.iterator().next()).name() + ") ...)"
                    : "Cannot group by measure " + m + " (group by dimensions; measures are aggregated)");
        }
        e.accept(new RexVisitorImpl<Void>(true) {
            @Override
            public Void visitSubQuery(RexSubQuery subQuery) {
                throw refused("Cannot plan a sub-query inside " + clause + " here (rewrite it as a join)");
            }
        });
    }

    /** Dimensions fixed to one value by a top-level {@code dim = literal} (or parameter) condition. */
    private static Set<MemberRef> pinned(SemanticTable t, List<RexNode> conditions) {
        Set<MemberRef> out = new LinkedHashSet<>();
        for (RexNode c : conditions) {
            for (RexNode conj : RelOptUtil.conjunctions(c)) {
                if (conj.getKind() == SqlKind.EQUALS && conj instanceof RexCall call) {
                    RexNode a = RexUtil.removeCast(call.getOperands().get(0));
                    RexNode b = RexUtil.removeCast(call.getOperands().get(1));
                    if (a instanceof RexInputRef r && constant(b)) {
                        out.add(t.columns.get(r.getIndex()).ref());
                    } else if (b instanceof RexInputRef r && constant(a)) {
                        out.add(t.columns.get(r.getIndex()).ref());
                    }
                }
            }
        }
        return out;
    }

    private static boolean constant(RexNode n) {
        return n instanceof RexLiteral || n instanceof RexDynamicParam;
    }

    private static String names(SemanticTable t, Set<Integer> fields, boolean measures) {
        List<String> out = new ArrayList<>();
        for (int f : fields) {
            if (t.columns.get(f).isMeasure() == measures) {
                out.add(t.columns.get(f).name());
            }
        }
        return String.join(", ", out);
    }

    private static String measuresOfType(SemanticTable t, MeasureType type) {
        List<String> out = t.columns.stream().filter(c -> c.measureType().orElse(null) == type).map(Column::name)
                .toList();
        return out.isEmpty() ? "(none in this view)" : String.join(", ", out);
    }

    static SemanticException refused(String message) {
        return new SemanticException(SemanticErrorCode.QUERY_REFUSED, message);
    }
}
