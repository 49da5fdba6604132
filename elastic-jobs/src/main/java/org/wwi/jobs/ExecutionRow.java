package org.wwi.jobs;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One row of {@code jobs.job_executions}: the job execution itself (no step), one of its steps
 * (target type TargetGroup) or one step on one target database.
 */
public record ExecutionRow(UUID jobExecutionId, String jobName, int jobVersion, Optional<Integer> stepId,
                           Optional<String> stepName, Lifecycle lifecycle, Optional<String> targetType,
                           Optional<String> targetServer, Optional<String> targetDatabase,
                           Optional<String> elasticPool, int attempts, Instant createTime,
                           Optional<Instant> startTime, Optional<Instant> endTime,
                           Optional<Instant> nextAttemptTime, Optional<String> lastMessage) {

    public boolean isJob() {
        return stepId.isEmpty();
    }

    public boolean isTarget() {
        return targetType.filter(t -> !t.equals("TargetGroup")).isPresent();
    }

    /** "server/database" of a target row, or the server alone when its databases could not be listed. */
    public String target() {
        return targetServer.orElse("") + targetDatabase.map(d -> "/" + d).orElse("");
    }
}
