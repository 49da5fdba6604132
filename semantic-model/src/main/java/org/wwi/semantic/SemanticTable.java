package org.wwi.semantic;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.wwi.semantic.Catalog.Column;
import org.wwi.semantic.Catalog.ViewModel;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A view as the table a client's SQL sees: one column per visible member. It cannot be scanned:
 * {@link SemanticRewriter} replaces every scan of it by the detail or rollup tables before
 * planning, adding the role's row filter, so no plan ever reads it directly.
 */
final class SemanticTable extends AbstractTable {
    /** A column's SQL type, independent of any type factory. */
    record TypeSpec(SqlTypeName name, int precision, int scale, boolean nullable) {
        RelDataType toType(RelDataTypeFactory f) {
            RelDataType t = name.allowsScale() && scale >= 0 ? f.createSqlType(name, precision, scale)
                    : name.allowsPrecNoScale() && precision >= 0 ? f.createSqlType(name, precision)
                    : f.createSqlType(name);
            return f.createTypeWithNullability(t, nullable);
        }

        static TypeSpec of(RelDataType t) {
            int precision = t.getSqlTypeName().allowsPrec() ? t.getPrecision() : -1;
            int scale = t.getSqlTypeName().allowsScale() ? t.getScale() : -1;
            return new TypeSpec(t.getSqlTypeName(), precision, scale, t.isNullable());
        }
    }

    final ViewModel view;
    final List<Column> columns;
    final List<TypeSpec> types;

    SemanticTable(ViewModel view, List<Column> columns, List<TypeSpec> types) {
        this.view = requireNonNull(view, "view is null");
        this.columns = List.copyOf(columns);
        this.types = List.copyOf(types);
        if (columns.size() != types.size()) {
            throw new IllegalArgumentException("columns and types differ in length");
        }
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
        RelDataTypeFactory.Builder b = typeFactory.builder();
        for (int i = 0; i < columns.size(); i++) {
            b.add(columns.get(i).name(), types.get(i).toType(typeFactory));
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "SemanticTable(" + view.name() + ")";
    }
}
