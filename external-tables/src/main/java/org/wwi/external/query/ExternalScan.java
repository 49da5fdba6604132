package org.wwi.external.query;

import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.type.SqlTypeName;
import org.wwi.external.ExternalColumn;
import org.wwi.external.read.Predicate;
import org.wwi.external.storage.FileRef;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The scan of an external table, with what was pushed into it. Its EXPLAIN line shows the columns
 * read, the pushed filters (partition filters prune folders; the others skip Parquet row groups),
 * how many files remain of how many, and {@code count=footers} when {@code count(*)} is answered
 * from Parquet footers.
 */
final class ExternalScan extends TableScan implements EnumerableRel {
    final ExternalCalciteTable external;
    final ScanSpec spec;
    private final RelDataType countType;

    ExternalScan(RelOptCluster cluster, RelOptTable table, ExternalCalciteTable external, ScanSpec spec) {
        this(cluster, table, external, spec, null);
    }

    ExternalScan(RelOptCluster cluster, RelOptTable table, ExternalCalciteTable external, ScanSpec spec,
                 RelDataType countType) {
        super(cluster, cluster.traitSetOf(EnumerableConvention.INSTANCE), List.of(), table);
        this.external = external;
        this.spec = spec;
        this.countType = countType;
    }

    ExternalScan with(ScanSpec newSpec) {
        return new ExternalScan(getCluster(), table, external, newSpec, null);
    }

    ExternalScan counting(int calls, RelDataType type) {
        return new ExternalScan(getCluster(), table, external,
                new ScanSpec(spec.columns(), spec.predicates(), calls), type);
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new ExternalScan(getCluster(), table, external, spec, countType);
    }

    List<ExternalColumn> columns() {
        return external.table().table().columns();
    }

    @Override
    public RelDataType deriveRowType() {
        if (spec.counting()) {
            if (countType != null) {
                return countType;
            }
            RelDataTypeFactory f = getCluster().getTypeFactory();
            return f.builder().add("EXPR$0", f.createSqlType(SqlTypeName.BIGINT)).build();
        }
        List<RelDataTypeField> fields = table.getRowType().getFieldList();
        RelDataTypeFactory.Builder b = getCluster().getTypeFactory().builder();
        for (int c : spec.columns()) {
            b.add(fields.get(c));
        }
        return b.build();
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
        RelWriter w = super.explainTerms(pw);
        if (spec.counting()) {
            w.item("count", external.parquet() ? "footers" : "rows");
        } else {
            w.item("columns", java.util.Arrays.stream(spec.columns()).mapToObj(c -> columns().get(c).name())
                    .collect(Collectors.toList()));
        }
        w.itemIf("filters", spec.predicates().stream().map(this::describe).collect(Collectors.toList()),
                !spec.predicates().isEmpty());
        return w.item("files", files());
    }

    private String describe(Predicate p) {
        ExternalColumn c = columns().get(p.column());
        String text = c.name() + " " + p.op().symbol() + (p.value() == null ? "" : " " + p.value());
        return c.partitionColumn() ? text + " (partition)" : text + " (row groups)";
    }

    private String files() {
        try {
            int all = external.listing().files().size();
            List<FileRef> kept = external.files(spec);
            return kept.size() + " of " + all + (kept.size() < all ? " (partitions pruned)" : "");
        } catch (RuntimeException e) {
            return "? (" + e.getMessage() + ")";
        }
    }

    @Override
    public void register(RelOptPlanner planner) {
        ExternalRules.register(planner);
    }

    @Override
    public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
        RelOptCost cost = super.computeSelfCost(planner, mq);
        if (cost == null) {
            return null;
        }
        if (spec.counting()) {
            return cost.multiplyBy(0.001);
        }
        int width = columns().size();
        double columnsFactor = (spec.columns().length + 2D) / (width + 2D);
        return cost.multiplyBy(columnsFactor * selectivity());
    }

    /** Pruned partitions read less, skipped row groups somewhat less: plans with pushed filters win. */
    private double selectivity() {
        double s = 1;
        for (Predicate p : spec.predicates()) {
            s *= columns().get(p.column()).partitionColumn() ? 0.1 : 0.5;
        }
        return s;
    }

    @Override
    public double estimateRowCount(RelMetadataQuery mq) {
        return super.estimateRowCount(mq) * selectivity();
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
        PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), pref.preferArray());
        // generated code sees only public JDK types: the scan travels as a Supplier
        java.util.function.Supplier<Object> rows = () -> external.scan(spec);
        return implementor.result(physType, Blocks.toBlock(Expressions.convert_(
                Expressions.call(implementor.stash(rows, java.util.function.Supplier.class), "get"),
                org.apache.calcite.linq4j.Enumerable.class)));
    }
}
