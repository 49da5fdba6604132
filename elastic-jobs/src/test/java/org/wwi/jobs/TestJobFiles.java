package org.wwi.jobs;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.platform.Database;
import org.wwi.testkit.WwiPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Job files: parsed with clear errors, synced idempotently; an edit bumps the version once. */
@ExtendWith(WwiPostgres.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestJobFiles {
    private ElasticJobs jobs;

    @BeforeAll
    void setUp(Database db, @TempDir Path tmp) {
        jobs = TestingControl.migrated(db, tmp);
        jobs.addServer("demo", "localhost", 5432, "postgres");
        jobs.addTargetGroup("wwi_tenants");
        for (String c : List.of("wwi_job_runner", "wwi_tenant_app_password")) {
            jobs.addCredential(c, c, "x-secret".toCharArray());
        }
    }

    private static Path copyProject(Path to) throws IOException {
        Path from = TestingControl.ROOT.resolve(JobFiles.FOLDER);
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path q = to.resolve(JobFiles.FOLDER).resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        return to;
    }

    @Test
    void syncIsIdempotentAndAnEditBumpsTheVersionOnceWhileAStartedExecutionKeepsItsVersion(@TempDir Path tmp)
            throws IOException {
        Path home = copyProject(tmp);
        List<JobFiles.Synced> first = JobFiles.sync(jobs, JobFiles.readProject(home));
        assertThat(first).extracting(JobFiles.Synced::job).containsExactly("rotate-tenant-app-password",
                "tenant-schema", "tenant-telemetry");
        assertThat(first).allMatch(s -> s.outcome() == ElasticJobs.DefineOutcome.CREATED);
        assertThat(JobFiles.sync(jobs, JobFiles.readProject(home)))
                .allMatch(s -> s.outcome() == ElasticJobs.DefineOutcome.UNCHANGED);

        int before = jobs.jobVersion("tenant-telemetry").orElseThrow();
        UUID started = jobs.start("tenant-telemetry");
        Path file = home.resolve(JobFiles.FOLDER).resolve("tenant-telemetry.yaml");
        Files.writeString(file, Files.readString(file).replace("max_parallelism: 10", "max_parallelism: 5"));
        List<JobFiles.Synced> edited = JobFiles.sync(jobs, JobFiles.readProject(home));
        assertThat(edited).filteredOn(s -> s.job().equals("tenant-telemetry")).singleElement()
                .satisfies(s -> {
                    assertThat(s.outcome()).isEqualTo(ElasticJobs.DefineOutcome.UPDATED);
                    assertThat(s.version()).isEqualTo(before + 1);
                });
        assertThat(jobs.job("tenant-telemetry").orElseThrow().steps().get(0).maxParallelism()).contains(5);
        assertThat(jobs.execution(started).get(0).jobVersion()).isEqualTo(before);
        assertThat(jobs.job("tenant-schema").orElseThrow().steps().get(0).command())
                .isEqualTo("elastic-jobs/jobs/tenant-schema");
    }

    @Test
    void theShippedFilesAreInTheJarToo() {
        assertThat(JobFiles.readShipped()).extracting(l -> l.job().name()).containsExactly(
                "rotate-tenant-app-password", "tenant-schema", "tenant-telemetry");
        assertThat(JobFiles.readShipped().get(1).job().steps().get(0).command())
                .isEqualTo("classpath:wwi/elastic-jobs/jobs/tenant-schema");
    }

    @Test
    void badFilesNameTheFileTheKeyAndTheLine(@TempDir Path home) throws IOException {
        Path dir = Files.createDirectories(home.resolve(JobFiles.FOLDER));
        Files.writeString(dir.resolve("x.yaml"), "steps:\n  - target_group: g\n    sql: select 1\n    retries: 3\n");
        assertThatThrownBy(() -> JobFiles.readProject(home)).isInstanceOf(ElasticJobsException.class)
                .hasMessageContaining("Cannot read job file elastic-jobs/jobs/x.yaml: unknown key 'retries' at line 4")
                .hasMessageContaining("retry_attempts");
        Files.writeString(dir.resolve("x.yaml"), "schedule:\n  every: often\nsteps:\n  - target_group: g\n    sql: x\n");
        assertThatThrownBy(() -> JobFiles.readProject(home)).hasMessageContaining("'N minutes|hours|days|weeks|months'");
        Files.writeString(dir.resolve("x.yaml"), "steps:\n  - target_group: g\n");
        assertThatThrownBy(() -> JobFiles.readProject(home)).hasMessageContaining("needs exactly one of sql");
    }

    @Test
    void theSqlApiRefusesBadRequestsWithAClearMessage() {
        assertThatThrownBy(() -> jobs.addStep("no-such-job", JobDefinition.Step.sql("s", "wwi_tenants", "select 1")))
                .isInstanceOf(ElasticJobsException.class).hasMessageStartingWith("Cannot add a step to job: no-such-job "
                        + "does not exist");
        jobs.addJob("j", "", false, JobDefinition.Schedule.once());
        assertThatThrownBy(() -> jobs.addStep("j", JobDefinition.Step.sql("s", "nope", "select 1")))
                .hasMessageContaining("target group nope does not exist").hasMessageContaining("sp_add_target_group");
        assertThatThrownBy(() -> jobs.addStep("j", JobDefinition.Step.sql("s", "wwi_tenants", "select 1")
                .withCredential("missing"))).hasMessageContaining("credential missing").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> jobs.start("j")).hasMessageContaining("Cannot start job j: it has no steps");
    }
}
