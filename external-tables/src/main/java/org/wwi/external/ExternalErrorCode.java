package org.wwi.external;

import org.wwi.platform.ErrorCode;
import org.wwi.platform.ErrorKind;

/**
 * Error codes of the external-tables module. Both halves of the module add their codes here
 * (DDL and catalog first, then storage, reading, querying and loading).
 */
public enum ExternalErrorCode implements ErrorCode {
    // --- DDL and catalog ---------------------------------------------------------------------
    /** A statement does not follow the grammar; the message names line, column, expected and found. */
    SYNTAX_ERROR(ErrorKind.USER),
    /** A definition is well-formed but invalid (unknown type, bad option value, bad combination). */
    INVALID_DEFINITION(ErrorKind.USER),
    /** CREATE of a name that exists already. */
    ALREADY_EXISTS(ErrorKind.USER),
    /** A referenced or dropped object does not exist. */
    NOT_FOUND(ErrorKind.USER),
    /** DROP of an object that other objects still use; the message names them. */
    IN_USE(ErrorKind.USER),
    /** A LOCATION whose scheme storage does not support. */
    UNSUPPORTED_LOCATION(ErrorKind.USER),
    /** The master key cannot be opened (service key missing or not the one that protects it, stored key damaged). */
    SECRETS_UNAVAILABLE(ErrorKind.USER),
    /** A ${...} placeholder or ENV('...') in a DDL file or statement has no value. */
    PLACEHOLDER_MISSING(ErrorKind.USER),
    /** A versioned DDL file failed to apply, or the applied history does not match the files. */
    MIGRATION_FAILED(ErrorKind.USER),
    /** PostgreSQL refused a statement of {@code wwi sql} (syntax, unknown table, constraint). */
    SQL_FAILED(ErrorKind.USER),
    /** The control database failed or refused. */
    DATABASE_FAILED(ErrorKind.EXTERNAL),
    /** A file (script, DDL folder) could not be read. */
    IO_FAILED(ErrorKind.EXTERNAL),
    // --- storage, reading, querying, loading (org.wwi.external.storage/read/query/load) ---------
    /** A table LOCATION (folder or file) does not exist. */
    LOCATION_NOT_FOUND(ErrorKind.USER),
    /** Storage refused the credential (wrong account key, expired SAS) or the credential does not fit. */
    ACCESS_DENIED(ErrorKind.USER),
    /** Storage could not be reached or failed while listing or reading. */
    STORAGE_FAILED(ErrorKind.EXTERNAL),
    /** A file is not a readable Parquet / text file (corrupt, truncated, wrong format). */
    FILE_CORRUPT(ErrorKind.USER),
    /** A file's column does not fit the declared type (e.g. BIGINT data into INT), or is missing. */
    TYPE_MISMATCH(ErrorKind.USER),
    /** More rows were rejected than REJECT_VALUE / REJECT_TYPE = PERCENTAGE allow. */
    REJECT_LIMIT_EXCEEDED(ErrorKind.USER),
    /** A query over external data is invalid or failed to plan (Calcite's message is included). */
    QUERY_FAILED(ErrorKind.USER),
    /** A load target is missing or does not fit the rows (columns, types). */
    LOAD_TARGET_INVALID(ErrorKind.USER),
    /** The warehouse database failed during a load. */
    LOAD_FAILED(ErrorKind.EXTERNAL),
    /** A bug. */
    INTERNAL(ErrorKind.INTERNAL);

    private final ErrorKind kind;

    ExternalErrorCode(ErrorKind kind) {
        this.kind = kind;
    }

    @Override
    public ErrorKind kind() {
        return kind;
    }
}
