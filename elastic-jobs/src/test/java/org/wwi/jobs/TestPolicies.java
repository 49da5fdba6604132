package org.wwi.jobs;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure rules: retry back-off, lifecycle roll-up, output column types, redaction. */
class TestPolicies {

    @Test
    void backOffGrowsByTheMultiplierUpToTheMaximumForRetryAttemptsRetries() {
        Backoff azure = new Backoff(10, 1, 120, 2.0);
        assertThat(azure.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(azure.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(azure.delayAfter(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(azure.delayAfter(8)).isEqualTo(Duration.ofSeconds(120));
        assertThat(azure.retryAfter(10)).isTrue();
        assertThat(azure.retryAfter(11)).isFalse();
        assertThat(new Backoff(0, 1, 1, 1.0).retryAfter(1)).isFalse();
        assertThatThrownBy(() -> new Backoff(1, 5, 2, 2.0)).hasMessageContaining("Cannot use retry policy");
    }

    @Test
    void stepsTakeAzuresDefaultsAndTheExecutorItsDocumentedOnes() {
        JobDefinition.Step s = JobDefinition.Step.sql("step", "group", "select 1");
        assertThat(s.retryAttempts()).isEqualTo(10);
        assertThat(s.initialRetryIntervalSeconds()).isEqualTo(1);
        assertThat(s.maximumRetryIntervalSeconds()).isEqualTo(120);
        assertThat(s.retryIntervalBackoffMultiplier()).isEqualTo(2.0);
        assertThat(s.stepTimeoutSeconds()).isEqualTo(43200);
        assertThat(s.maxParallelism()).isEmpty();
        assertThat(s.credential()).isEmpty();
        assertThat(s.output()).isEmpty();
        assertThat(ExecutorSettings.defaults()).isEqualTo(new ExecutorSettings(50, Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofSeconds(10)));
    }

    @Test
    void aStepFailsIfAnyTargetFailedAndSucceedsWithSkippedWhenOneWasSkipped() {
        assertThat(Lifecycle.rollUp(List.of(Lifecycle.Succeeded, Lifecycle.Failed, Lifecycle.TimedOut)))
                .isEqualTo(Lifecycle.Failed);
        assertThat(Lifecycle.rollUp(List.of(Lifecycle.Succeeded, Lifecycle.TimedOut))).isEqualTo(Lifecycle.TimedOut);
        assertThat(Lifecycle.rollUp(List.of(Lifecycle.Canceled, Lifecycle.Succeeded))).isEqualTo(Lifecycle.Canceled);
        assertThat(Lifecycle.rollUp(List.of(Lifecycle.Succeeded, Lifecycle.Skipped)))
                .isEqualTo(Lifecycle.SucceededWithSkipped);
        assertThat(Lifecycle.rollUp(List.of())).isEqualTo(Lifecycle.Succeeded);
        assertThat(Lifecycle.WaitingForRetry.isFinal()).isFalse();
        assertThat(Lifecycle.Skipped.isFinal()).isTrue();
    }

    @Test
    void outputColumnsKeepBaseTypesAndFallBackToText() {
        assertThat(OutputWriter.columnType("int8")).isEqualTo("int8");
        assertThat(OutputWriter.columnType("timestamptz")).isEqualTo("timestamptz");
        assertThat(OutputWriter.columnType("_int4")).isEqualTo("int4[]");
        assertThat(OutputWriter.columnType("name")).isEqualTo("text");
        assertThat(OutputWriter.columnType("oid")).isEqualTo("int8");
        assertThat(OutputWriter.columnType("my_enum")).isEqualTo("text");
    }

    @Test
    void secretsAreRemovedFromMessages() {
        assertThat(Attempt.redact("FATAL: bad password hunter2 for hunter2", List.of("hunter2")))
                .isEqualTo("FATAL: bad password *** for ***");
    }

    @Test
    void migrationFoldersResolveInTheProjectThenOnTheClasspath() {
        java.nio.file.Path home = TestingControl.ROOT;
        assertThat(Attempt.flywayLocation("elastic-jobs/jobs/tenant-schema", home))
                .isEqualTo("filesystem:" + home.resolve("elastic-jobs/jobs/tenant-schema"));
        assertThat(Attempt.flywayLocation("elastic-jobs/jobs/tenant-schema", home.resolve("nowhere")))
                .isEqualTo("classpath:wwi/elastic-jobs/jobs/tenant-schema");
        assertThat(Attempt.flywayLocation("classpath:db/x", home)).isEqualTo("classpath:db/x");
    }
}
