package org.wwi.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.testkit.TestServer;
import org.wwi.testkit.WwiPostgres;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo stage: tenant pool, shipped jobs synced and run, every target succeeds, twice in a row. */
@ExtendWith(WwiPostgres.class)
class TestJobsDemo {

    @Test
    void theShippedJobsRunOnTheTenantPoolAndAgainOnASecondDemo(TestServer server, Database db, @TempDir Path state) {
        Migrations.forProject(TestingControl.ROOT).migrate(db);
        try {
            JobsDemo.Result first = JobsDemo.run(db, TestingControl.ROOT, state);
            assertThat(first.targets()).hasSize(12).allMatch(t -> t.lifecycle() == Lifecycle.Succeeded,
                    first.targets().toString());
            assertThat(first.summary()).contains("12/12 targets succeeded").contains("has 4 rows");
            for (String t : JobsDemo.TENANTS) {
                assertThat(TestingControl.count(db, t, "select count(*) from flyway_schema_history where success"))
                        .isEqualTo(2);
            }
            assertThat(TestingControl.count(db, "postgres", "select count(*) from pg_authid where rolname = "
                    + "'wwi_tenant_app' and rolpassword like 'SCRAM-SHA-256$%'")).isEqualTo(1);

            JobsDemo.Result second = JobsDemo.run(db, TestingControl.ROOT, state);
            assertThat(second.targets()).hasSize(12).allMatch(t -> t.lifecycle() == Lifecycle.Succeeded);
            assertThat(second.targets()).filteredOn(t -> t.jobName().equals("tenant-schema"))
                    .allMatch(t -> t.lastMessage().orElse("").contains("up to date at version 2"));
            assertThat(second.summary()).contains("has 8 rows");
        } finally {
            for (String t : JobsDemo.TENANTS) {
                server.dropDatabase(t);
            }
            server.dropDatabase("wwi_job_output");
        }
    }
}
