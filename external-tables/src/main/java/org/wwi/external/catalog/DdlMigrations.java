package org.wwi.external.catalog;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.flywaydb.core.api.resolver.MigrationResolver;
import org.flywaydb.core.api.resolver.ResolvedMigration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.wwi.control.ServiceKey;
import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.ddl.Placeholders;
import org.wwi.platform.Database;
import org.wwi.platform.WwiException;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The versioned PolyBase DDL of {@code external-tables/ddl/V<version>__<description>.sql}, applied
 * through Flyway with its own history table {@value #HISTORY_SCHEMA}.{@value #HISTORY_TABLE}: the
 * same checksums, validation and one-transaction-per-run as the warehouse migrations. Flyway
 * finds the files (filesystem or classpath location); a {@link MigrationResolver} turns each into a
 * migration whose executor runs the statements through {@link CatalogStore} on Flyway's connection.
 *
 * <p>Placeholders {@code ${wwi.lake}}, {@code ${wwi.home}} and {@code ${env:NAME}} (and
 * {@code ENV('NAME')}) are resolved when a file runs, never stored: the checksum is the file's.
 * Run the control migrations ({@code Migrations.migrate}) first: the catalog tables live there.
 */
public final class DdlMigrations {
    /** Schema of the history table (the catalog's own schema). */
    public static final String HISTORY_SCHEMA = "catalog";
    /** The Flyway history table of the DDL files. */
    public static final String HISTORY_TABLE = "flyway_external_history";
    /** Environment variable with the master key password of the shipped V1 file. */
    public static final String MASTER_KEY_PASSWORD_ENV = "WWI_MASTER_KEY_PASSWORD";

    private static final Pattern FILE = Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__(.+)\\.sql");

    private final String location;
    private final Placeholders placeholders;
    private final ServiceKey serviceKey;

    private DdlMigrations(String location, Placeholders placeholders, ServiceKey serviceKey) {
        this.location = location;
        this.placeholders = placeholders;
        this.serviceKey = serviceKey;
    }

    /**
     * The DDL of the project in {@code home} ({@code home/external-tables/ddl}; the copy in the jar when the
     * project has no such folder).
     *
     * @param placeholders usually {@link #placeholders(Path, Path, Function)}
     * @param stateDir     where the service key is ({@code home/.wwi}), unless WWI_SERVICE_KEY is set
     */
    public static DdlMigrations forProject(Path home, Placeholders placeholders, Path stateDir) {
        requireNonNull(home, "home is null");
        Path dir = home.resolve("external-tables").resolve("ddl");
        String location = Files.isDirectory(dir) ? "filesystem:" + dir.toAbsolutePath().normalize()
                : "classpath:wwi/external-tables/ddl";
        return new DdlMigrations(location, requireNonNull(placeholders, "placeholders is null"),
                ServiceKey.standard(requireNonNull(stateDir, "stateDir is null")));
    }

    /** The DDL files of {@code folder} (tests, users with their own layout). */
    public static DdlMigrations fromFolder(Path folder, Placeholders placeholders, ServiceKey serviceKey) {
        requireNonNull(folder, "folder is null");
        if (!Files.isDirectory(folder)) {
            throw new ExternalException(ExternalErrorCode.IO_FAILED, "Cannot read DDL migrations: " + folder
                    + " is not a folder");
        }
        return new DdlMigrations("filesystem:" + folder.toAbsolutePath().normalize(),
                requireNonNull(placeholders, "placeholders is null"), requireNonNull(serviceKey, "serviceKey is null"));
    }

    /**
     * The standard placeholders: {@code wwi.home} and {@code wwi.lake} as {@code file:///…} URIs without a
     * trailing slash, and {@code env:NAME} from {@code env}.
     */
    public static Placeholders placeholders(Path home, Path lake, Function<String, String> env) {
        return Placeholders.of(Map.of("wwi.home", fileUri(home), "wwi.lake", fileUri(lake)), env);
    }

    /**
     * The master key password {@code wwi demo} (and nothing else) uses when {@value #MASTER_KEY_PASSWORD_ENV} is
     * not set. Never use it elsewhere: anyone who reads this source knows it.
     */
    public static final String DEMO_MASTER_KEY_PASSWORD = "wwi-demo-master-key-not-secret";

    /**
     * {@code env} with {@value #MASTER_KEY_PASSWORD_ENV} defaulting to {@link #DEMO_MASTER_KEY_PASSWORD}: for
     * {@code wwi demo} only.
     */
    public static Function<String, String> demoEnvironment(Function<String, String> env) {
        requireNonNull(env, "env is null");
        return name -> {
            String value = env.apply(name);
            return value == null && name.equals(MASTER_KEY_PASSWORD_ENV) ? DEMO_MASTER_KEY_PASSWORD : value;
        };
    }

    private static String fileUri(Path p) {
        String uri = p.toAbsolutePath().normalize().toUri().toString();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    /** Where the files are read from ({@code filesystem:/…} or {@code classpath:…}). */
    public String location() {
        return location;
    }

    /** One applied file. */
    public record Applied(String version, String description, String script, long millis) {
    }

    /** What {@link #migrate} did. */
    public record MigrateOutcome(String location, String fromVersion, String toVersion, List<Applied> applied) {
    }

    /** One row of {@link #info}. */
    public record InfoRow(String version, String description, String script, String state, Integer checksum,
                          Optional<Instant> installedOn, Integer executionMillis) {
    }

    /** One problem found by {@link #validate}. */
    public record Problem(String version, String script, String message) {
    }

    public record ValidateOutcome(List<Problem> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /** Applies the pending files, all in one transaction (nothing of a failed run stays). */
    public MigrateOutcome migrate(Database db) {
        MigrateResult r;
        try {
            r = flyway(db).migrate();
        } catch (RuntimeException e) {
            throw new ExternalException(ExternalErrorCode.MIGRATION_FAILED, describeFailure(e)
                    + "\nNothing of the failed migration was applied: fix the file and run `wwi migrate` again.", e);
        }
        List<Applied> applied = r.migrations == null ? List.of() : r.migrations.stream()
                .map(m -> new Applied(m.version, m.description, fileName(m.filepath), m.executionTime)).toList();
        return new MigrateOutcome(location, nullToEmpty(r.initialSchemaVersion), nullToEmpty(r.targetSchemaVersion),
                applied);
    }

    /** Applied and pending files with checksums. */
    public List<InfoRow> info(Database db) {
        MigrationInfo[] all;
        try {
            all = flyway(db).info().all();
        } catch (RuntimeException e) {
            throw new ExternalException(ExternalErrorCode.DATABASE_FAILED, "Cannot read the external-tables DDL "
                    + "history: " + clean(rootMessage(e)), e);
        }
        List<InfoRow> rows = new ArrayList<>();
        for (MigrationInfo mi : all) {
            rows.add(new InfoRow(mi.getVersion() == null ? "" : mi.getVersion().getVersion(), mi.getDescription(),
                    mi.getScript(), mi.getState().getDisplayName(), mi.getChecksum(),
                    Optional.ofNullable(mi.getInstalledOn()).map(java.util.Date::toInstant), mi.getExecutionTime()));
        }
        return rows;
    }

    /** Compares the applied files with the folder: edited, missing or failed ones are problems. */
    public ValidateOutcome validate(Database db) {
        ValidateResult r;
        try {
            r = flyway(db).validateWithResult();
        } catch (RuntimeException e) {
            throw new ExternalException(ExternalErrorCode.DATABASE_FAILED, "Cannot validate the external-tables DDL: "
                    + clean(rootMessage(e)), e);
        }
        List<Problem> problems = new ArrayList<>();
        if (!r.validationSuccessful) {
            if (r.invalidMigrations != null && !r.invalidMigrations.isEmpty()) {
                for (ValidateOutput v : r.invalidMigrations) {
                    problems.add(new Problem(nullToEmpty(v.version), fileName(v.filepath),
                            clean(v.errorDetails == null ? "invalid" : v.errorDetails.errorMessage)));
                }
            } else if (r.errorDetails != null) {
                problems.add(new Problem("", "", clean(r.errorDetails.errorMessage)));
            }
        }
        return new ValidateOutcome(problems);
    }

    private Flyway flyway(Database db) {
        CatalogStore store = CatalogStore.open(db, serviceKey);
        return Flyway.configure(DdlMigrations.class.getClassLoader())
                .dataSource(db.dataSource())
                .locations(location)
                .failOnMissingLocations(true)
                .table(HISTORY_TABLE)
                .defaultSchema(HISTORY_SCHEMA)
                .schemas(HISTORY_SCHEMA)
                .createSchemas(false)
                // schema catalog holds the catalog tables already: start the history at version 0
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("external-tables DDL history")
                .skipDefaultResolvers(true)
                .skipDefaultCallbacks(true)
                .resolvers(new Resolver(store, placeholders))
                .group(true)
                .cleanDisabled(true)
                .placeholderReplacement(false)
                .loggers("slf4j")
                .load();
    }

    /** Turns the {@code V…__….sql} files Flyway found at the location into {@link DdlMigration}s. */
    private static final class Resolver implements MigrationResolver {
        private final CatalogStore store;
        private final Placeholders placeholders;

        Resolver(CatalogStore store, Placeholders placeholders) {
            this.store = store;
            this.placeholders = placeholders;
        }

        @Override
        public Collection<ResolvedMigration> resolveMigrations(Context context) {
            List<ResolvedMigration> out = new ArrayList<>();
            for (LoadableResource r : context.resourceProvider.getResources("", new String[] {".sql"})) {
                Matcher m = FILE.matcher(r.getFilename());
                if (!m.matches()) {
                    throw new ExternalException(ExternalErrorCode.MIGRATION_FAILED, "Cannot use DDL file "
                            + r.getFilename() + " (" + r.getAbsolutePath() + "): name it V<version>__<description>.sql, "
                            + "e.g. V3__more_tables.sql");
                }
                out.add(new DdlMigration(MigrationVersion.fromVersion(m.group(1).replace('_', '.')),
                        m.group(2).replace('_', ' '), r.getFilename(),
                        r.getAbsolutePathOnDisk() == null ? r.getAbsolutePath() : r.getAbsolutePathOnDisk(),
                        read(r), store, placeholders));
            }
            out.sort((a, b) -> a.getVersion().compareTo(b.getVersion()));
            for (int i = 1; i < out.size(); i++) {
                if (out.get(i).getVersion().equals(out.get(i - 1).getVersion())) {
                    throw new ExternalException(ExternalErrorCode.MIGRATION_FAILED, "Cannot use DDL files "
                            + out.get(i - 1).getScript() + " and " + out.get(i).getScript() + ": both have version "
                            + out.get(i).getVersion() + " (give each file its own version)");
                }
            }
            return out;
        }

        private static String read(LoadableResource r) {
            try (Reader reader = r.read()) {
                StringBuilder b = new StringBuilder();
                char[] buf = new char[8192];
                for (int n; (n = reader.read(buf)) > 0; ) {
                    b.append(buf, 0, n);
                }
                return b.toString();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read DDL file " + r.getAbsolutePath(), e);
            }
        }
    }

    /** The WWI-facing message of the first cause that has one; Flyway's otherwise. */
    private String describeFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof WwiException w) {
                return "Cannot apply external-tables DDL (" + location + "): " + w.getMessage();
            }
        }
        return "Cannot apply external-tables DDL (" + location + "): " + clean(rootMessage(e));
    }

    private static String rootMessage(Throwable e) {
        if (e instanceof FlywayException) {
            return e.getMessage();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
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

    private static String clean(String message) {
        if (message == null) {
            return "";
        }
        return message.lines().map(String::stripTrailing).filter(l -> !l.isBlank() && !l.matches("-{3,}"))
                .collect(Collectors.joining("\n"));
    }
}
