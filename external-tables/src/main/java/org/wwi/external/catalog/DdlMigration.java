package org.wwi.external.catalog;

import org.flywaydb.core.api.CoreMigrationType;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.executor.Context;
import org.flywaydb.core.api.executor.MigrationExecutor;
import org.flywaydb.core.api.resolver.ResolvedMigration;
import org.flywaydb.core.extensibility.MigrationType;
import org.flywaydb.core.internal.jdbc.Results;
import org.wwi.external.ddl.DdlStatement;
import org.wwi.external.ddl.Placeholders;
import org.wwi.external.ddl.SqlScript;

import java.util.List;
import java.util.Objects;

/**
 * One versioned DDL file as Flyway sees it: version, description and checksum come from the
 * file; the executor parses it (placeholders resolved only then, so info and validate need no
 * secrets) and runs each statement through the catalog on Flyway's connection, inside Flyway's
 * transaction.
 */
final class DdlMigration implements ResolvedMigration {
    private final MigrationVersion version;
    private final String description;
    private final String script;
    private final String physicalLocation;
    private final String content;
    private final int checksum;
    private final CatalogStore store;
    private final Placeholders placeholders;

    DdlMigration(MigrationVersion version, String description, String script, String physicalLocation,
                 String content, CatalogStore store, Placeholders placeholders) {
        this.version = version;
        this.description = description;
        this.script = script;
        this.physicalLocation = physicalLocation;
        this.content = content;
        this.checksum = Checksums.crc32OfLines(content);
        this.store = store;
        this.placeholders = placeholders;
    }

    @Override
    public MigrationVersion getVersion() {
        return version;
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public String getScript() {
        return script;
    }

    @Override
    public Integer getChecksum() {
        return checksum;
    }

    @Override
    public MigrationType getType() {
        return CoreMigrationType.CUSTOM;
    }

    @Override
    public String getPhysicalLocation() {
        return physicalLocation;
    }

    @Override
    public boolean checksumMatches(Integer other) {
        return Objects.equals(other, checksum);
    }

    @Override
    public boolean checksumMatchesWithoutBeingIdentical(Integer other) {
        return false;
    }

    @Override
    public MigrationExecutor getExecutor() {
        return new MigrationExecutor() {
            @Override
            public List<Results> execute(Context context) {
                List<DdlStatement> statements = SqlScript.parseDdl(content, script, placeholders);
                for (DdlStatement s : statements) {
                    store.apply(s, context.getConnection());
                }
                return List.of();
            }

            @Override
            public boolean canExecuteInTransaction() {
                return true;
            }

            @Override
            public boolean shouldExecute() {
                return true;
            }
        };
    }
}
