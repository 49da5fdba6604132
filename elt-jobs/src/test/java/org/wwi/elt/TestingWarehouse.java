package org.wwi.elt;

import org.wwi.control.ServiceKey;
import org.wwi.external.Catalog;
import org.wwi.external.catalog.CatalogStore;
import org.wwi.external.catalog.DdlMigrations;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.sample.WeblogGenerator;
import org.wwi.sample.WeblogSpec;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/** A migrated warehouse with the WWI external tables over a small generated lake. */
final class TestingWarehouse {
    static final Path ROOT = Path.of(System.getProperty("wwi.test.root", "..")).toAbsolutePath().normalize();
    static final String MASTER_KEY_PASSWORD = "elt-test-master-key-1";

    final Database db;
    final Path home;
    final Path lake;
    final Catalog catalog;

    private TestingWarehouse(Database db, Path home, Path lake, Catalog catalog) {
        this.db = db;
        this.home = home;
        this.lake = lake;
        this.catalog = catalog;
    }

    /** A lake of {@code rows} web events over {@code days} days (small user and product counts keep it quick). */
    static Path generateLake(Path lake, long rows, int days) {
        generate(lake, rows, days);
        return lake;
    }

    static org.wwi.sample.GenerationResult generate(Path lake, long rows, int days) {
        return WeblogGenerator.generate(new WeblogSpec(lake, rows, 42, LocalDate.of(2026, 8, 1), days, 500, 60),
                Progress.none());
    }

    /** Migrates {@code db}, applies external-tables/ddl over {@code lake}. */
    static TestingWarehouse prepare(Database db, Path home, Path lake) {
        Migrations.forProject(ROOT).migrate(db);
        ServiceKey key = ServiceKey.file(home.resolve("service.key"));
        DdlMigrations.fromFolder(ROOT.resolve("external-tables").resolve("ddl"),
                DdlMigrations.placeholders(home, lake, name -> name.equals(DdlMigrations.MASTER_KEY_PASSWORD_ENV)
                        ? MASTER_KEY_PASSWORD : System.getenv(name)), key).migrate(db);
        return new TestingWarehouse(db, home, lake, CatalogStore.open(db, key));
    }

    static List<Pipeline> shippedPipelines() {
        return PipelineFiles.readFolder(ROOT.resolve("elt-jobs").resolve("pipelines"));
    }

    Elt elt() {
        return Elt.open(db, ROOT, shippedPipelines(), catalog);
    }
}
