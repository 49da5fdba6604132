package org.wwi.cli;

import org.wwi.external.catalog.DdlMigrations;
import org.wwi.migrations.MigrationErrorCode;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code wwi migrate|info|validate}: Flyway's results as tables. */
final class MigrateCommands {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private MigrateCommands() {
    }

    /**
     * The versioned PolyBase DDL of {@code external-tables/ddl}. On the embedded server the
     * master key password falls back to the public demo one when WWI_MASTER_KEY_PASSWORD is unset.
     */
    static DdlMigrations externalDdl(WwiCommand root) {
        java.util.function.Function<String, String> env = System::getenv;
        if (root.config().db().isEmbedded()) {
            env = DdlMigrations.demoEnvironment(env);
        }
        return DdlMigrations.forProject(root.home(),
                DdlMigrations.placeholders(root.home(), root.config().lakeDir(), env), root.config().stateDir());
    }

    static void printOutcomes(WwiCommand root, List<Migrations.MigrateOutcome> outcomes) {
        TextTable t = new TextTable("set", "version", "description", "file", "ms");
        for (Migrations.MigrateOutcome o : outcomes) {
            for (Migrations.Applied a : o.applied()) {
                t.row(o.set().folder(), a.version(), a.description(), a.script(), a.millis());
            }
        }
        if (!t.isEmpty()) {
            t.print(root.out());
        }
        for (Migrations.MigrateOutcome o : outcomes) {
            root.out().printf("%-9s %s: %s%n", o.set().folder(),
                    o.applied().isEmpty() ? "up to date" : o.applied().size() + " applied",
                    "at version " + (o.toVersion().isEmpty() ? o.fromVersion() : o.toVersion())
                            + " (" + o.location() + ")");
        }
    }

    @Command(name = "migrate", description = "Apply pending migrations (control, then warehouse).")
    static final class Migrate implements Callable<Integer> {
        @ParentCommand
        WwiCommand root;

        @Override
        public Integer call() {
            try (Database db = root.openDatabase()) {
                root.err().println("Migrating " + db.description());
                printOutcomes(root, Migrations.forProject(root.home()).migrate(db));
                DdlMigrations.MigrateOutcome ddl = externalDdl(root).migrate(db);
                if (!ddl.applied().isEmpty()) {
                    TextTable t = new TextTable("set", "version", "description", "file", "ms");
                    for (DdlMigrations.Applied a : ddl.applied()) {
                        t.row("external", a.version(), a.description(), a.script(), a.millis());
                    }
                    t.print(root.out());
                }
                root.out().printf("%-9s %s: at version %s (%s)%n", "external",
                        ddl.applied().isEmpty() ? "up to date" : ddl.applied().size() + " applied",
                        ddl.toVersion().isEmpty() ? ddl.fromVersion() : ddl.toVersion(), ddl.location());
            }
            return 0;
        }
    }

    @Command(name = "info", description = "Show applied and pending migrations with checksums.")
    static final class Info implements Callable<Integer> {
        @ParentCommand
        WwiCommand root;

        @Override
        public Integer call() {
            try (Database db = root.openDatabase()) {
                Migrations m = Migrations.forProject(root.home());
                TextTable t = new TextTable("set", "version", "description", "state", "installed on (UTC)",
                        "checksum", "ms");
                for (Migrations.InfoRow r : m.info(db)) {
                    t.row(r.set().folder(), r.version(), r.description(), r.state(),
                            r.installedOn().map(WHEN::format).orElse(""), r.checksum() == null ? "" : r.checksum(),
                            r.executionMillis() == null ? "" : r.executionMillis());
                }
                for (DdlMigrations.InfoRow r : externalDdl(root).info(db)) {
                    t.row("external", r.version(), r.description(), r.state(),
                            r.installedOn().map(WHEN::format).orElse(""), r.checksum() == null ? "" : r.checksum(),
                            r.executionMillis() == null ? "" : r.executionMillis());
                }
                t.print(root.out());
            }
            return 0;
        }
    }

    @Command(name = "validate", description = "Check that applied migrations match the files (exit 1 if not).")
    static final class Validate implements Callable<Integer> {
        @ParentCommand
        WwiCommand root;

        @Override
        public Integer call() {
            try (Database db = root.openDatabase()) {
                Migrations.ValidateOutcome v = Migrations.forProject(root.home()).validate(db);
                DdlMigrations.ValidateOutcome ddl = externalDdl(root).validate(db);
                if (v.valid() && ddl.valid()) {
                    root.out().println("valid: every applied migration matches its file");
                    return 0;
                }
                TextTable t = new TextTable("set", "version", "file", "problem");
                for (Migrations.Problem p : v.problems()) {
                    t.row(p.set().folder(), p.version(), p.script(), p.message().replace('\n', ' '));
                }
                for (DdlMigrations.Problem p : ddl.problems()) {
                    t.row("external", p.version(), p.script(), p.message().replace('\n', ' '));
                }
                t.print(root.err());
                root.err().println("error: migrations do not match the database: revert the edited files, "
                        + "or undo the change and add a new migration instead of editing an applied one");
                return MigrationErrorCode.VALIDATION_FAILED.kind().exitCode();
            }
        }
    }
}
