package org.wwi.testkit;

import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Jdbc;
import org.jooq.meta.jaxb.SchemaMappingType;
import org.jooq.meta.jaxb.Target;
import org.wwi.platform.Database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Committed jOOQ classes kept in sync with the migrations: each module that owns control
 * tables commits the classes of its schemas and has a test that calls {@link #check}. The
 * check regenerates them from a freshly migrated database; with {@code -Dwwi.jooq.write=true}
 * it rewrites the committed folder instead of comparing, which is how they are refreshed.
 *
 * @param schemas     the schemas whose tables the module owns (e.g. {@code jobs})
 * @param packageName the package of the committed classes
 * @param sourceRoot  the module's {@code src/main/java}
 */
public record JooqClasses(List<String> schemas, String packageName, Path sourceRoot) {

    public JooqClasses {
        schemas = List.copyOf(requireNonNull(schemas, "schemas is null"));
        requireNonNull(packageName, "packageName is null");
        requireNonNull(sourceRoot, "sourceRoot is null");
    }

    /** What differs between committed and regenerated classes: file name to content. */
    public record Comparison(Map<String, String> committed, Map<String, String> regenerated) {
        public boolean same() {
            return committed.equals(regenerated);
        }
    }

    /**
     * Regenerates the classes from {@code migrated} (a database with every migration applied)
     * into {@code workDir} and compares them with the committed ones (or rewrites those).
     */
    public Comparison check(TestServer server, Database migrated, Path workDir) {
        generate(server, migrated, workDir);
        Path committed = sourceRoot.resolve(packageName.replace('.', '/'));
        Path generated = workDir.resolve(packageName.replace('.', '/'));
        if (Boolean.getBoolean("wwi.jooq.write")) {
            replace(committed, generated);
        }
        return new Comparison(read(committed), read(generated));
    }

    private void generate(TestServer server, Database db, Path dir) {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        org.jooq.meta.jaxb.Database meta = new org.jooq.meta.jaxb.Database()
                .withName("org.jooq.meta.postgres.PostgresDatabase")
                .withIncludes(".*")
                .withExcludes("flyway_.*");
        for (String s : schemas) {
            meta.getSchemata().add(new SchemaMappingType().withInputSchema(s));
        }
        Configuration cfg = new Configuration()
                .withJdbc(new Jdbc().withDriver("org.postgresql.Driver").withUrl(db.jdbcUrl())
                        .withUser(db.address().user()).withPassword(server.password().orElse("")))
                .withGenerator(new Generator()
                        .withName("org.jooq.codegen.JavaGenerator")
                        .withDatabase(meta)
                        .withGenerate(new Generate()
                                .withGeneratedAnnotation(false)
                                .withJavaTimeTypes(true)
                                .withRecords(true)
                                .withPojos(false)
                                .withDaos(false)
                                .withComments(true)
                                .withSequences(true)
                                .withRoutines(false))
                        .withTarget(new Target().withPackageName(packageName).withDirectory(dir.toString())
                                .withClean(true)));
        try {
            GenerationTool.generate(cfg);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot generate jOOQ classes for " + schemas + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> read(Path root) {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return files;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.readString(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static void replace(Path committed, Path generated) {
        try {
            if (Files.isDirectory(committed)) {
                try (Stream<Path> s = Files.walk(committed)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            try (Stream<Path> s = Files.walk(generated)) {
                for (Path p : s.toList()) {
                    Path to = committed.resolve(generated.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
