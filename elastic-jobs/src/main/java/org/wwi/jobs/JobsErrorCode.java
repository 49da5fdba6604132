package org.wwi.jobs;

import org.wwi.platform.ErrorCode;
import org.wwi.platform.ErrorKind;

/** Error codes of elastic jobs. */
public enum JobsErrorCode implements ErrorCode {
    /** A jobs.sp_* function refused the request (unknown job, bad parameter, …). */
    REQUEST_INVALID(ErrorKind.USER),
    JOB_NOT_FOUND(ErrorKind.USER),
    EXECUTION_NOT_FOUND(ErrorKind.USER),
    JOB_FILE_INVALID(ErrorKind.USER),
    SCHEMA_MISSING(ErrorKind.USER),
    TARGET_UNREACHABLE(ErrorKind.EXTERNAL),
    DATABASE_FAILED(ErrorKind.EXTERNAL),
    SCHEDULER_FAILED(ErrorKind.EXTERNAL),
    INTERRUPTED(ErrorKind.EXTERNAL),
    TIMED_OUT(ErrorKind.EXTERNAL),
    IO_FAILED(ErrorKind.EXTERNAL);

    private final ErrorKind kind;

    JobsErrorCode(ErrorKind kind) {
        this.kind = kind;
    }

    @Override
    public ErrorKind kind() {
        return kind;
    }
}
