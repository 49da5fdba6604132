package org.wwi.external.read;

import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.RejectPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Counts the rows read and rejected by one statement against the table's {@link RejectPolicy}, and
 * keeps the rejected rows for the reject table (at most {@link #KEPT} of them; the count goes on).
 * Not thread-safe: one per statement and reading thread.
 */
public final class Rejects {
    /** Rejected rows kept in memory for the reject table; the rest are counted only. */
    public static final int KEPT = 100_000;
    private static final int REASONS_IN_MESSAGE = 5;

    private final String table;
    private final RejectPolicy policy;
    private final List<Reject> kept = new ArrayList<>();
    private long read;
    private long rejected;

    public Rejects(String table, RejectPolicy policy) {
        this.table = requireNonNull(table, "table is null");
        this.policy = requireNonNull(policy, "policy is null");
    }

    /** A row converted; checks a PERCENTAGE threshold at sample boundaries. */
    public void accepted() {
        read++;
        check(false);
    }

    /** A row was rejected; throws REJECT_LIMIT_EXCEEDED once the threshold is broken. */
    public void rejected(Reject reject) {
        requireNonNull(reject, "reject is null");
        read++;
        rejected++;
        if (kept.size() < KEPT) {
            kept.add(reject);
        }
        check(false);
    }

    /**
     * A row the reader had {@linkplain #accepted() accepted} was refused later (a value that does not
     * fit the target column): it counts as rejected, not as read a second time.
     */
    public void refused(Reject reject) {
        requireNonNull(reject, "reject is null");
        rejected++;
        if (kept.size() < KEPT) {
            kept.add(reject);
        }
        check(false);
    }

    /**
     * Takes over the rejected rows of another statement part that already checked them against its own
     * table's policy (a table scanned inside a query): they are counted and kept here without a check,
     * so that a load records them with its own.
     */
    public void addChecked(Rejects other) {
        requireNonNull(other, "other is null");
        rejected += other.rejected;
        for (Reject r : other.kept) {
            if (kept.size() >= KEPT) {
                break;
            }
            kept.add(r);
        }
    }

    /** The end of the input: the final PERCENTAGE check. */
    public void finish() {
        check(true);
    }

    private void check(boolean end) {
        if (policy.exceeded(rejected, read, end)) {
            String reasons = kept.stream().limit(REASONS_IN_MESSAGE).map(Reject::describe)
                    .collect(Collectors.joining("; "));
            throw new ExternalException(ExternalErrorCode.REJECT_LIMIT_EXCEEDED, "Cannot read external table " + table
                    + ": " + rejected + " of " + read + " rows rejected, more than " + policy.describe()
                    + " allows; first rejected rows: " + reasons + " (fix the data, or raise REJECT_VALUE; "
                    + "nothing was loaded)");
        }
    }

    public long read() {
        return read;
    }

    public long rejected() {
        return rejected;
    }

    /** The rejected rows kept, in the order they were met. */
    public List<Reject> kept() {
        return List.copyOf(kept);
    }

    public RejectPolicy policy() {
        return policy;
    }
}
