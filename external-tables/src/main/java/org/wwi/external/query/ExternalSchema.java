package org.wwi.external.query;

import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

import java.util.Map;

/** The external tables of one schema (e.g. {@code ext}) as a Calcite schema. */
final class ExternalSchema extends AbstractSchema {
    private final Map<String, Table> tables;

    ExternalSchema(Map<String, Table> tables) {
        this.tables = Map.copyOf(tables);
    }

    @Override
    protected Map<String, Table> getTableMap() {
        return tables;
    }
}
