package org.wwi.elt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.testkit.JooqClasses;
import org.wwi.testkit.TestServer;
import org.wwi.testkit.WwiPostgres;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed jOOQ classes of the ELT ledger (schema {@code elt}) match the migrations. Refresh them after a
 * change with {@code mvn -o -pl elt-jobs test -Dtest=TestJooqClasses -Dsurefire.failIfNoSpecifiedTests=false
 * -Dwwi.jooq.write=true}.
 */
@ExtendWith(WwiPostgres.class)
class TestJooqClasses {

    @Test
    void committedClassesMatchTheMigratedSchema(TestServer server, Database db, @TempDir Path tmp) {
        Path root = Path.of(System.getProperty("wwi.test.root", ".."));
        Migrations.forProject(root).migrate(db);
        JooqClasses classes = new JooqClasses(List.of("elt"), "org.wwi.elt.jooq",
                root.resolve("elt-jobs").resolve("src").resolve("main").resolve("java"));
        JooqClasses.Comparison c = classes.check(server, db, tmp);
        assertThat(c.committed())
                .as("jOOQ classes are out of date with migrations/sql/warehouse; regenerate them (see javadoc)")
                .isEqualTo(c.regenerated());
    }
}
