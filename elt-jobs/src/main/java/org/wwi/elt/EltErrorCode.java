package org.wwi.elt;

import org.wwi.platform.ErrorCode;
import org.wwi.platform.ErrorKind;

/** Error codes of the ELT module. */
public enum EltErrorCode implements ErrorCode {
    /** A pipeline file is not valid; the message names the file, the path inside it and the fix. */
    PIPELINE_INVALID(ErrorKind.USER),
    /** No pipeline of that name. */
    PIPELINE_NOT_FOUND(ErrorKind.USER),
    /** No run with that id. */
    RUN_NOT_FOUND(ErrorKind.USER),
    /** Another run of the pipeline holds its lock. */
    RUN_IN_PROGRESS(ErrorKind.USER),
    /** A run ended failed (a step failed); the run is recorded in the ledger. */
    RUN_FAILED(ErrorKind.USER),
    /** A request is invalid (window, parameter). */
    REQUEST_INVALID(ErrorKind.USER),
    /** The warehouse lacks the ELT schema: run wwi migrate. */
    SCHEMA_MISSING(ErrorKind.USER),
    /** The warehouse database failed. */
    DATABASE_FAILED(ErrorKind.EXTERNAL),
    /** Quartz refused a schedule. */
    SCHEDULER_FAILED(ErrorKind.EXTERNAL),
    /** A file could not be read. */
    IO_FAILED(ErrorKind.EXTERNAL),
    /** A bug. */
    INTERNAL(ErrorKind.INTERNAL);

    private final ErrorKind kind;

    EltErrorCode(ErrorKind kind) {
        this.kind = kind;
    }

    @Override
    public ErrorKind kind() {
        return kind;
    }
}
