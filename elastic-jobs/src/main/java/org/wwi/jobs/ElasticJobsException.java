package org.wwi.jobs;

import org.wwi.platform.WwiException;

import java.sql.SQLException;

/** The exception of elastic jobs. Messages never contain secrets. */
public final class ElasticJobsException extends WwiException {
    private static final long serialVersionUID = 1L;

    ElasticJobsException(JobsErrorCode code, String message) {
        super(code, message);
    }

    ElasticJobsException(JobsErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /**
     * A failed call to the control database: a refusal of a jobs.sp_* function (SQLSTATE P0001,
     * already worded "Cannot …") is the user's to fix; anything else is an external failure.
     */
    static ElasticJobsException of(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String first = Sql.firstLine(e);
        if (state.equals("P0001")) {
            String hint = Sql.hint(e);
            return new ElasticJobsException(JobsErrorCode.REQUEST_INVALID, first + (hint.isEmpty() ? "" : " (" + hint + ")"), e);
        }
        if (state.equals("3F000") || state.equals("42P01") || state.equals("42883")) {
            return new ElasticJobsException(JobsErrorCode.SCHEMA_MISSING, "Cannot " + what + ": " + first
                    + " (the control database lacks the elastic-jobs schema; run wwi migrate)", e);
        }
        return new ElasticJobsException(JobsErrorCode.DATABASE_FAILED, "Cannot " + what + ": " + first, e);
    }
}
