package org.wwi.external.query;

import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.tools.RelBuilderFactory;
import org.apache.calcite.util.ImmutableBitSet;
import org.wwi.external.ExternalColumn;
import org.wwi.external.read.Predicate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Planner rules that push work into an {@link ExternalScan}: the columns a projection uses, simple
 * comparisons with literals ({@code =, <>, <, <=, >, >=, IS [NOT] NULL}) and {@code count(*)}.
 */
final class ExternalRules {
    static final RelOptRule PROJECT = config("ExternalProjectRule", b0 -> b0.operand(LogicalProject.class)
            .oneInput(b1 -> b1.operand(ExternalScan.class).predicate(s -> !s.spec.counting()).noInputs()),
            c -> new Rule(c, ExternalRules::project));
    static final RelOptRule FILTER = config("ExternalFilterRule", b0 -> b0.operand(LogicalFilter.class)
            .oneInput(b1 -> b1.operand(ExternalScan.class).predicate(s -> !s.spec.counting()).noInputs()),
            c -> new Rule(c, ExternalRules::filter));
    static final RelOptRule FILTER_OVER_PROJECT = config("ExternalFilterProjectRule", b0 -> b0.operand(LogicalFilter.class)
            .oneInput(b1 -> b1.operand(LogicalProject.class).predicate(ExternalRules::onlyRefs)
                    .oneInput(b2 -> b2.operand(ExternalScan.class).predicate(s -> !s.spec.counting()).noInputs())),
            c -> new Rule(c, ExternalRules::filterOverProject));
    static final RelOptRule COUNT = config("ExternalCountRule", b0 -> b0.operand(LogicalAggregate.class)
            .oneInput(b1 -> b1.operand(ExternalScan.class).predicate(s -> !s.spec.counting()).noInputs()),
            c -> new Rule(c, ExternalRules::count));
    static final RelOptRule COUNT_OVER_PROJECT = config("ExternalCountProjectRule", b0 -> b0.operand(LogicalAggregate.class)
            .oneInput(b1 -> b1.operand(LogicalProject.class)
                    .oneInput(b2 -> b2.operand(ExternalScan.class).predicate(s -> !s.spec.counting()).noInputs())),
            c -> new Rule(c, ExternalRules::count));

    private ExternalRules() {
    }

    static void register(RelOptPlanner planner) {
        planner.addRule(PROJECT);
        planner.addRule(FILTER);
        planner.addRule(COUNT);
        planner.addRule(COUNT_OVER_PROJECT);
        planner.addRule(FILTER_OVER_PROJECT);
    }

    /** A rule delegating {@code onMatch} to a function. */
    static final class Rule extends RelRule<RuleConfig> {
        private final java.util.function.Consumer<RelOptRuleCall> body;

        Rule(RuleConfig config, java.util.function.Consumer<RelOptRuleCall> body) {
            super(config);
            this.body = body;
        }

        @Override
        public void onMatch(RelOptRuleCall call) {
            body.accept(call);
        }
    }

    /** A plain rule configuration (Calcite's own use generated Immutables classes). */
    record RuleConfig(String description, RelRule.OperandTransform operandSupplier, Function<RuleConfig, RelOptRule> factory)
            implements RelRule.Config {
        @Override
        public RelOptRule toRule() {
            return factory.apply(this);
        }

        @Override
        public RelRule.Config withRelBuilderFactory(RelBuilderFactory f) {
            return this;
        }

        @Override
        public RelRule.Config withDescription(String d) {
            return new RuleConfig(d, operandSupplier, factory);
        }

        @Override
        public RelRule.Config withOperandSupplier(RelRule.OperandTransform t) {
            return new RuleConfig(description, t, factory);
        }
    }

    private static RelOptRule config(String name, RelRule.OperandTransform operands, Function<RuleConfig, RelOptRule> f) {
        return new RuleConfig(name, operands, f).toRule();
    }

    private static void project(RelOptRuleCall call) {
        LogicalProject project = call.rel(0);
        ExternalScan scan = call.rel(1);
        ImmutableBitSet used = RelOptUtil.InputFinder.bits(project.getProjects(), null);
        int width = scan.spec.columns().length;
        if (used.cardinality() == width && isIdentity(project, width)) {
            call.transformTo(scan);
            return;
        }
        if (used.cardinality() == width) {
            return;
        }
        List<Integer> kept = new ArrayList<>(used.asList());
        if (kept.isEmpty()) {
            // nothing read at all (count(*), constants): keep one column, a partition one when there is one
            int pick = 0;
            for (int i = 0; i < width; i++) {
                if (scan.columns().get(scan.spec.columns()[i]).partitionColumn()) {
                    pick = i;
                    break;
                }
            }
            kept.add(pick);
        }
        int[] columns = kept.stream().mapToInt(i -> scan.spec.columns()[i]).toArray();
        ExternalScan narrowed = scan.with(new ScanSpec(columns, scan.spec.predicates(), 0));
        List<RexNode> rewritten = new ArrayList<>();
        for (RexNode e : project.getProjects()) {
            rewritten.add(e.accept(new RexShuttle() {
                @Override
                public RexNode visitInputRef(RexInputRef ref) {
                    return new RexInputRef(kept.indexOf(ref.getIndex()), ref.getType());
                }
            }));
        }
        RelNode result = call.builder().push(narrowed).project(rewritten, project.getRowType().getFieldNames()).build();
        call.transformTo(result);
    }

    private static boolean isIdentity(LogicalProject project, int width) {
        List<RexNode> p = project.getProjects();
        if (p.size() != width) {
            return false;
        }
        for (int i = 0; i < width; i++) {
            if (!(p.get(i) instanceof RexInputRef r) || r.getIndex() != i) {
                return false;
            }
        }
        return project.getRowType().getFieldNames().equals(project.getInput().getRowType().getFieldNames());
    }

    private static boolean onlyRefs(LogicalProject p) {
        return p.getProjects().stream().allMatch(e -> e instanceof RexInputRef);
    }

    /** A filter above a column-narrowing projection: pushed through the projection into the scan. */
    private static void filterOverProject(RelOptRuleCall call) {
        LogicalFilter filter = call.rel(0);
        LogicalProject project = call.rel(1);
        ExternalScan scan = call.rel(2);
        RexNode condition = RelOptUtil.pushPastProject(filter.getCondition(), project);
        Optional<RelNode> below = push(call, condition, scan);
        below.ifPresent(b -> call.transformTo(call.builder().push(b)
                .project(project.getProjects(), project.getRowType().getFieldNames()).build()));
    }

    private static Optional<RelNode> push(RelOptRuleCall call, RexNode condition, ExternalScan scan) {
        Set<Predicate> pushed = new LinkedHashSet<>(scan.spec.predicates());
        List<RexNode> residual = new ArrayList<>();
        boolean changed = false;
        for (RexNode conjunct : RelOptUtil.conjunctions(condition)) {
            Optional<Predicate> p = translate(conjunct, scan);
            if (p.isPresent()) {
                changed |= pushed.add(p.get());
                if (scan.columns().get(p.get().column()).partitionColumn()) {
                    continue;
                }
            }
            residual.add(conjunct);
        }
        if (!changed) {
            return Optional.empty();
        }
        ExternalScan narrowed = scan.with(new ScanSpec(scan.spec.columns(), List.copyOf(pushed), 0));
        RexBuilder rex = scan.getCluster().getRexBuilder();
        return Optional.of(residual.isEmpty() ? narrowed
                : call.builder().push(narrowed).filter(RexUtil.composeConjunction(rex, residual)).build());
    }

    private static void filter(RelOptRuleCall call) {
        LogicalFilter filter = call.rel(0);
        ExternalScan scan = call.rel(1);
        push(call, filter.getCondition(), scan).ifPresent(call::transformTo);
    }

    private static Optional<Predicate> translate(RexNode node, ExternalScan scan) {
        if (!(node instanceof RexCall call)) {
            return Optional.empty();
        }
        SqlKind kind = call.getKind();
        if ((kind == SqlKind.IS_NULL || kind == SqlKind.IS_NOT_NULL) && call.getOperands().get(0) instanceof RexInputRef r) {
            return Optional.of(new Predicate(scan.spec.columns()[r.getIndex()],
                    kind == SqlKind.IS_NULL ? Predicate.Op.IS_NULL : Predicate.Op.IS_NOT_NULL, null));
        }
        Predicate.Op op = switch (kind) {
            case EQUALS -> Predicate.Op.EQ;
            case NOT_EQUALS -> Predicate.Op.NE;
            case LESS_THAN -> Predicate.Op.LT;
            case LESS_THAN_OR_EQUAL -> Predicate.Op.LE;
            case GREATER_THAN -> Predicate.Op.GT;
            case GREATER_THAN_OR_EQUAL -> Predicate.Op.GE;
            default -> null;
        };
        if (op == null || call.getOperands().size() != 2) {
            return Optional.empty();
        }
        RexNode a = call.getOperands().get(0);
        RexNode b = call.getOperands().get(1);
        if (b instanceof RexInputRef && a instanceof RexLiteral) {
            RexNode t = a;
            a = b;
            b = t;
            op = op.flip();
        }
        if (!(a instanceof RexInputRef ref) || !(b instanceof RexLiteral literal)) {
            return Optional.empty();
        }
        int column = scan.spec.columns()[ref.getIndex()];
        ExternalColumn c = scan.columns().get(column);
        Predicate.Op finalOp = op;
        return CalciteValues.literal(literal, c.type()).map(v -> new Predicate(column, finalOp, v));
    }

    private static void count(RelOptRuleCall call) {
        LogicalAggregate agg = call.rel(0);
        ExternalScan scan = call.rel(call.getRelList().size() - 1);
        if (agg.getGroupCount() != 0 || agg.getAggCallList().isEmpty()) {
            return;
        }
        for (AggregateCall c : agg.getAggCallList()) {
            if (c.getAggregation().getKind() != SqlKind.COUNT || !c.getArgList().isEmpty() || c.isDistinct()
                    || c.filterArg >= 0) {
                return;
            }
        }
        for (Predicate p : scan.spec.predicates()) {
            if (!scan.columns().get(p.column()).partitionColumn()) {
                return; // a row filter sits above this scan's rows
            }
        }
        call.transformTo(scan.counting(agg.getAggCallList().size(), agg.getRowType()));
    }
}
