package org.wwi.jobs;

import java.util.Collection;

/** Azure Elastic Jobs' lifecycle values, and how children roll up into a step and a job. */
public enum Lifecycle {
    Created, InProgress, WaitingForRetry, WaitingForChildJobExecutions, Succeeded, SucceededWithSkipped, Failed,
    TimedOut, Canceled, Skipped;

    public boolean isFinal() {
        return switch (this) {
            case Succeeded, SucceededWithSkipped, Failed, TimedOut, Canceled, Skipped -> true;
            default -> false;
        };
    }

    public boolean isSuccess() {
        return this == Succeeded || this == SucceededWithSkipped;
    }

    /**
     * The outcome of a step from the outcomes of its targets: Failed if any failed, else
     * TimedOut if any timed out, else Canceled if any was canceled, else SucceededWithSkipped if
     * any was skipped, else Succeeded (also for a step without targets).
     */
    static Lifecycle rollUp(Collection<Lifecycle> children) {
        if (children.contains(Failed)) {
            return Failed;
        }
        if (children.contains(TimedOut)) {
            return TimedOut;
        }
        if (children.contains(Canceled)) {
            return Canceled;
        }
        if (children.contains(Skipped) || children.contains(SucceededWithSkipped)) {
            return SucceededWithSkipped;
        }
        return Succeeded;
    }
}
