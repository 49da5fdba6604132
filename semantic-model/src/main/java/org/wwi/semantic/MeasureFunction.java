package org.wwi.semantic;

import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.util.Optionality;

/**
 * {@code MEASURE(m)}: the measure {@code m} evaluated at the query's grain. It only type-checks;
 * the semantic rewrite replaces it before planning. MEASURE is a reserved word of Calcite's
 * parser, so {@link SqlText} renames the call to {@value #NAME} (same length, so error positions
 * stay right) before parsing.
 */
final class MeasureFunction extends SqlAggFunction {
    static final String NAME = "MEASUR$";
    static final MeasureFunction INSTANCE = new MeasureFunction();

    private MeasureFunction() {
        super(NAME, null, SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0, null, OperandTypes.ANY,
                SqlFunctionCategory.USER_DEFINED_FUNCTION, false, false, Optionality.FORBIDDEN);
    }
}
