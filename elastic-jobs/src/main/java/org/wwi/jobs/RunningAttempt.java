package org.wwi.jobs;

import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An attempt in flight, as seen by the coordinator: its connections can be canceled (JDBC cancel
 * request) because the execution was stopped, the step's time ran out, or the agent is leaving.
 */
final class RunningAttempt {
    enum Reason { NONE, STOPPED, TIMED_OUT, RELEASED }

    final Task task;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private volatile Reason reason = Reason.NONE;

    RunningAttempt(Task task) {
        this.task = task;
    }

    Reason reason() {
        return reason;
    }

    void opened(Connection c) {
        connections.add(c);
        if (reason != Reason.NONE) {
            cancelAll();
        }
    }

    void closed(Connection c) {
        connections.remove(c);
    }

    /** Cancels the statements in flight; the first reason given is kept. */
    synchronized void cancel(Reason why) {
        if (reason == Reason.NONE) {
            reason = why;
        }
        cancelAll();
    }

    private void cancelAll() {
        for (Connection c : connections) {
            try {
                c.unwrap(PGConnection.class).cancelQuery();
            } catch (SQLException | RuntimeException e) {
                // the connection is closing or broken: the attempt ends on its own
            }
        }
    }
}
