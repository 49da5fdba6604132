package org.wwi.jobs;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A line of {@code wwi jobs list}. */
public record JobSummary(String name, int version, boolean enabled, String schedule, int steps,
                         Optional<String> definedIn, Optional<UUID> lastExecution, Optional<Lifecycle> lastLifecycle,
                         Optional<Instant> lastStart) {
}
