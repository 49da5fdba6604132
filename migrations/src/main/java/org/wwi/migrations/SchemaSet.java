package org.wwi.migrations;

/**
 * A set of versioned schema migrations with its own Flyway history table. The control
 * schemas come first: the warehouse's loads and the agent rely on them.
 */
public enum SchemaSet {
    CONTROL("control", "ops", "flyway_control_history",
            "catalog, jobs, quartz and ops schemas: what WWI Warehouse needs to run"),
    WAREHOUSE("warehouse", "elt", "flyway_warehouse_history",
            "stg, dw, mart and elt schemas: the WWI star schema and its ledger");

    private final String folder;
    private final String historySchema;
    private final String historyTable;
    private final String description;

    SchemaSet(String folder, String historySchema, String historyTable, String description) {
        this.folder = folder;
        this.historySchema = historySchema;
        this.historyTable = historyTable;
        this.description = description;
    }

    /** Folder name below {@code migrations/sql/}. */
    public String folder() {
        return folder;
    }

    /** Schema of the Flyway history table (created by Flyway when missing). */
    public String historySchema() {
        return historySchema;
    }

    /** Flyway history table, in {@link #historySchema()}. */
    public String historyTable() {
        return historyTable;
    }

    public String description() {
        return description;
    }
}
