package org.wwi.external.load;

import org.wwi.external.ExternalColumn;
import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.ExternalTableDef;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Which external column fills which target column: {@code targetColumns.get(i)} gets
 * {@code sourceColumns.get(i)}. Target columns not listed get their defaults.
 */
public record ColumnMapping(List<String> targetColumns, List<String> sourceColumns) {

    public ColumnMapping {
        targetColumns = List.copyOf(requireNonNull(targetColumns, "targetColumns is null"));
        sourceColumns = List.copyOf(requireNonNull(sourceColumns, "sourceColumns is null"));
        if (targetColumns.size() != sourceColumns.size() || targetColumns.isEmpty()) {
            throw new IllegalArgumentException("mapping needs as many target as source columns, and at least one");
        }
    }

    /**
     * Target columns matched to external columns by name, ignoring case and underscores
     * ({@code user_id} takes {@code UserId}).
     *
     * @throws ExternalException LOAD_TARGET_INVALID when no column matches
     */
    public static ColumnMapping byName(ExternalTableDef source, TargetTable target) {
        List<String> t = new ArrayList<>();
        List<String> s = new ArrayList<>();
        for (TargetTable.Column c : target.columns()) {
            for (ExternalColumn e : source.columns()) {
                if (normal(e.name()).equals(normal(c.name()))) {
                    t.add(c.name());
                    s.add(e.name());
                    break;
                }
            }
        }
        if (t.isEmpty()) {
            throw new ExternalException(ExternalErrorCode.LOAD_TARGET_INVALID, "Cannot load " + source.qualifiedName()
                    + " into " + target.qualifiedName() + ": no column names match (give the mapping explicitly)");
        }
        return new ColumnMapping(t, s);
    }

    static String normal(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }
}
