package org.wwi.migrations;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException;
import org.wwi.platform.Database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Flyway over the project's schema sets ({@link SchemaSet}). Migrations are read from the
 * project folder ({@code migrations/sql/<set>}) when it exists, so an edited file is seen at
 * once, and from the classpath otherwise. All pending migrations of a set are applied in one
 * transaction: PostgreSQL's DDL is transactional, so a failure leaves nothing half-applied.
 */
public final class Migrations {

    /** One applied migration in a {@link MigrateOutcome}. */
    public record Applied(String version, String description, String script, long millis) {
    }

    /** What {@link #migrate} did for one schema set. */
    public record MigrateOutcome(SchemaSet set, String location, String fromVersion, String toVersion,
                                 List<Applied> applied) {
    }

    /** One row of {@link #info}. */
    public record InfoRow(SchemaSet set, String version, String description, String script, String state,
                          Integer checksum, Optional<Instant> installedOn, Integer executionMillis) {
    }

    /** One problem found by {@link #validate}. */
    public record Problem(SchemaSet set, String version, String script, String message) {
    }

    /** What {@link #validate} found; empty problems means valid. */
    public record ValidateOutcome(List<Problem> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    private final Map<SchemaSet, String> locations;

    private Migrations(Map<SchemaSet, String> locations) {
        this.locations = Map.copyOf(locations);
    }

    /** Migrations of the project in {@code home}, or the ones shipped in the jar when it has none. */
    public static Migrations forProject(Path home) {
        requireNonNull(home, "home is null");
        return new Migrations(Arrays.stream(SchemaSet.values()).collect(Collectors.toMap(s -> s, s -> {
            Path dir = home.resolve("migrations").resolve("sql").resolve(s.folder());
            return Files.isDirectory(dir)
                    ? "filesystem:" + dir.toAbsolutePath().normalize()
                    : "classpath:wwi/migrations/" + s.folder();
        })));
    }

    /** Only the migrations shipped in the jar. */
    public static Migrations shipped() {
        return new Migrations(Arrays.stream(SchemaSet.values())
                .collect(Collectors.toMap(s -> s, s -> "classpath:wwi/migrations/" + s.folder())));
    }

    /** Uses the given folders (tests, users with their own layout). */
    public static Migrations fromFolders(Map<SchemaSet, Path> folders) {
        return new Migrations(folders.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> "filesystem:" + e.getValue().toAbsolutePath().normalize())));
    }

    public String location(SchemaSet set) {
        return locations.get(set);
    }

    /** Applies every pending migration, control first, then warehouse. */
    public List<MigrateOutcome> migrate(Database db) {
        List<MigrateOutcome> out = new ArrayList<>();
        for (SchemaSet set : SchemaSet.values()) {
            Flyway flyway = flyway(db, set);
            MigrateResult r;
            try {
                r = flyway.migrate();
            } catch (FlywayException e) {
                throw new MigrationException(MigrationErrorCode.MIGRATION_FAILED, describeFailure(set, e)
                        + "\nNothing of the failed migration was applied (PostgreSQL DDL is transactional):"
                        + " fix the file and run `wwi migrate` again.", e);
            }
            List<Applied> applied = r.migrations == null ? List.of() : r.migrations.stream()
                    .map(m -> new Applied(m.version, m.description, fileName(m.filepath), m.executionTime))
                    .toList();
            out.add(new MigrateOutcome(set, location(set), nullToEmpty(r.initialSchemaVersion),
                    nullToEmpty(r.targetSchemaVersion), applied));
        }
        return out;
    }

    /** Applied, pending and failed migrations of every set, with checksums. */
    public List<InfoRow> info(Database db) {
        List<InfoRow> rows = new ArrayList<>();
        for (SchemaSet set : SchemaSet.values()) {
            MigrationInfo[] all;
            try {
                all = flyway(db, set).info().all();
            } catch (FlywayException e) {
                throw new MigrationException(MigrationErrorCode.DATABASE_FAILED, "Cannot read the "
                        + set.folder() + " migration history: " + clean(e.getMessage()), e);
            }
            for (MigrationInfo mi : all) {
                rows.add(new InfoRow(set, mi.getVersion() == null ? "" : mi.getVersion().getVersion(),
                        mi.getDescription(), mi.getScript(), mi.getState().getDisplayName(), mi.getChecksum(),
                        Optional.ofNullable(mi.getInstalledOn()).map(java.util.Date::toInstant),
                        mi.getExecutionTime()));
            }
        }
        return rows;
    }

    /** Compares applied migrations with the files: edited, missing or failed ones are problems. */
    public ValidateOutcome validate(Database db) {
        List<Problem> problems = new ArrayList<>();
        for (SchemaSet set : SchemaSet.values()) {
            ValidateResult r;
            try {
                r = flyway(db, set).validateWithResult();
            } catch (FlywayException e) {
                throw new MigrationException(MigrationErrorCode.DATABASE_FAILED, "Cannot validate the "
                        + set.folder() + " migrations: " + clean(e.getMessage()), e);
            }
            if (r.validationSuccessful) {
                continue;
            }
            if (r.invalidMigrations != null && !r.invalidMigrations.isEmpty()) {
                for (ValidateOutput v : r.invalidMigrations) {
                    problems.add(new Problem(set, nullToEmpty(v.version), fileName(v.filepath),
                            clean(v.errorDetails == null ? "invalid" : v.errorDetails.errorMessage)));
                }
            } else if (r.errorDetails != null) {
                problems.add(new Problem(set, "", "", clean(r.errorDetails.errorMessage)));
            }
        }
        return new ValidateOutcome(problems);
    }

    /** Names the file, line, statement and PostgreSQL's message, which Flyway's own message hides. */
    private String describeFailure(SchemaSet set, FlywayException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FlywaySqlScriptException script) {
                java.sql.SQLException sql = script.getCause() instanceof java.sql.SQLException c ? c : null;
                String pgMessage = sql == null ? clean(script.getMessage())
                        : sql.getMessage().lines().findFirst().orElse("") + " (SQL state " + sql.getSQLState() + ")";
                String file = script.getResource() == null ? "" : fileName(script.getResource().getFilename());
                String statement = script.getStatement() == null ? "" : script.getStatement().strip();
                if (statement.length() > 500) {
                    statement = statement.substring(0, 500) + " …";
                }
                return "Cannot apply " + set.folder() + " migration " + file + " (line " + script.getLineNumber()
                        + ", " + location(set) + "): " + pgMessage + "\n  statement: " + statement;
            }
        }
        return "Cannot apply the " + set.folder() + " migrations from " + location(set) + ": " + clean(e.getMessage());
    }

    private Flyway flyway(Database db, SchemaSet set) {
        String location = location(set);
        if (location.startsWith("filesystem:") && !Files.isDirectory(Path.of(location.substring(11)))) {
            throw new MigrationException(MigrationErrorCode.LOCATION_INVALID,
                    "Cannot read migrations: " + location.substring(11) + " is not a folder", null);
        }
        return Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(db.dataSource())
                .locations(location)
                .table(set.historyTable())
                .defaultSchema(set.historySchema())
                .schemas(set.historySchema())
                .createSchemas(true)
                .group(true)
                .cleanDisabled(true)
                .placeholderReplacement(false)
                .validateMigrationNaming(true)
                .failOnMissingLocations(true)
                .loggers("slf4j")
                .load();
    }

    private static String fileName(String path) {
        if (path == null) {
            return "";
        }
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return slash >= 0 ? path.substring(slash + 1) : path;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** Flyway's messages with their ruler lines and blank lines removed. */
    static String clean(String message) {
        if (message == null) {
            return "";
        }
        return message.lines()
                .map(String::stripTrailing)
                .filter(l -> !l.isBlank() && !l.matches("-{3,}"))
                .collect(Collectors.joining("\n"));
    }
}
