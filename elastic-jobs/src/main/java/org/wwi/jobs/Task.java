package org.wwi.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One claimed attempt of one step on one target database, with everything needed to run it. */
record Task(long taskId, UUID executionId, int stepId, String jobName, String stepName,
            TargetConnector.ServerRef server, String database, Instant stepStart, int attempt, int interrupted,
            Step step) {

    /** The step as the attempt needs it. */
    record Step(String commandType, String command, Optional<String> credential, List<String> credentialParameters,
                Backoff backoff, int timeoutSeconds, Optional<Output> output) {
    }

    /** Where the first result set goes. */
    record Output(TargetConnector.ServerRef server, String database, String schema, String table,
                  Optional<String> credential) {
        String describe() {
            return server.name() + "/" + database + "." + schema + "." + table;
        }
    }

    String target() {
        return server.name() + "/" + database;
    }

    Instant deadline() {
        return stepStart.plusSeconds(step.timeoutSeconds());
    }
}
