package org.wwi.migrations;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.platform.Database;
import org.wwi.testkit.JooqClasses;
import org.wwi.testkit.TestServer;
import org.wwi.testkit.WwiPostgres;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed jOOQ classes of schemas {@code ops} and {@code secrets} match the migrations. Refresh them after a
 * change with {@code ./mvnw -pl migrations -am test -Dtest=TestJooqClasses
 * -Dsurefire.failIfNoSpecifiedTests=false -Dwwi.jooq.write=true}.
 */
@ExtendWith(WwiPostgres.class)
class TestJooqClasses {

    @Test
    void committedClassesMatchTheMigratedSchema(TestServer server, Database db, @TempDir Path tmp) {
        Migrations.shipped().migrate(db);
        JooqClasses classes = new JooqClasses(List.of("ops", "secrets"), "org.wwi.migrations.jooq",
                Path.of(System.getProperty("wwi.test.root", ".."), "migrations", "src", "main", "java"));
        JooqClasses.Comparison c = classes.check(server, db, tmp);
        assertThat(c.committed())
                .as("jOOQ classes are out of date with migrations/sql; regenerate them (see javadoc)")
                .isEqualTo(c.regenerated());
    }
}
