package org.wwi.external;

import static java.util.Objects.requireNonNull;

/** An external table with the data source and file format it names, as {@link Catalog#resolved} returns it. */
public record ResolvedTable(ExternalTableDef table, DataSourceDef source, FileFormatDef format) {

    public ResolvedTable {
        requireNonNull(table, "table is null");
        requireNonNull(source, "source is null");
        requireNonNull(format, "format is null");
        if (!table.dataSource().equalsIgnoreCase(source.name())) {
            throw new IllegalArgumentException(table.qualifiedName() + " uses data source " + table.dataSource()
                    + ", not " + source.name());
        }
        if (!table.fileFormat().equalsIgnoreCase(format.name())) {
            throw new IllegalArgumentException(table.qualifiedName() + " uses file format " + table.fileFormat()
                    + ", not " + format.name());
        }
    }

    /**
     * The table's LOCATION resolved against the data source's: {@code file:///lake} + {@code /weblogs/}
     * gives {@code file:///lake/weblogs/}. Exactly one slash joins them.
     */
    public java.net.URI locationUri() {
        String base = source.location().toString();
        String rel = table.location();
        if (rel.contains("://")) {
            return java.net.URI.create(rel);
        }
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        while (rel.startsWith("/")) {
            rel = rel.substring(1);
        }
        return java.net.URI.create(base + "/" + rel);
    }
}
