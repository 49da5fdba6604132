package org.wwi.external;

import org.wwi.external.catalog.CatalogStore;
import org.wwi.external.ddl.DdlStatement;
import org.wwi.external.ddl.Placeholders;
import org.wwi.external.ddl.SqlScript;
import org.wwi.platform.Progress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a SQL script as {@code wwi sql -f} does, inside the module: PolyBase DDL to the catalog, every
 * other statement to the query engine; the first error stops the script.
 */
public final class TestingScript {
    /** The WWI PolyBase scenario that ships with the module. */
    public static final Path WWI_SCENARIO = Path.of(System.getProperty("wwi.test.root", ".."))
            .resolve("external-tables/examples/wwi-polybase-scenario.sql");

    private TestingScript() {
    }

    /** What one statement gave: the catalog's outcome line, or the engine's result. */
    public record Step(String statement, String outcome, ExternalSql.Result result) {
    }

    public static List<Step> run(Path file, Placeholders placeholders, CatalogStore catalog, ExternalSql engine) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Step> steps = new ArrayList<>();
        for (SqlScript.Statement s : SqlScript.split(text, file.getFileName().toString()).statements()) {
            if (s.isDdl()) {
                for (DdlStatement ddl : s.parse(placeholders)) {
                    CatalogStore.Outcome o = catalog.execute(ddl);
                    steps.add(new Step(o.statement(), o.result(), null));
                }
            } else {
                steps.add(new Step(s.maskedText(), null, engine.execute(s.text(), Progress.none())));
            }
        }
        return steps;
    }

    /** The single value of the last statement's one-row, one-column result whose text starts with {@code prefix}. */
    public static long lastCount(List<Step> steps, String prefix) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step s = steps.get(i);
            if (s.result() != null && s.statement().startsWith(prefix) && s.result().rows().size() == 1) {
                return ((Number) s.result().rows().get(0).get(0)).longValue();
            }
        }
        throw new AssertionError("no statement starting with " + prefix + " gave one row");
    }
}
