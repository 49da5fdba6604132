package org.wwi.elt;

import org.wwi.platform.Progress;

/** Hears what a run does, e.g. to print it; every method has a default that does nothing. */
public interface RunListener {

    default void runStarted(long runId, Pipeline pipeline) {
    }

    default void stepStarted(Step step) {
    }

    default void stepFinished(StepResult result) {
    }

    /** Progress of a long step (rows of a load); {@link Progress#none()} by default. */
    default Progress progress(String label, long total, String unit) {
        return Progress.none();
    }

    static RunListener none() {
        return new RunListener() {
        };
    }
}
