package org.wwi.migrations;

import org.wwi.platform.ErrorCode;
import org.wwi.platform.ErrorKind;

/** Error codes of schema migrations. */
public enum MigrationErrorCode implements ErrorCode {
    /** A migration file failed to apply; nothing of it was applied. */
    MIGRATION_FAILED(ErrorKind.USER),
    /** Applied migrations differ from the files (edited, removed, renamed). */
    VALIDATION_FAILED(ErrorKind.USER),
    /** The migration folder is missing or unreadable. */
    LOCATION_INVALID(ErrorKind.USER),
    /** The database refused or failed. */
    DATABASE_FAILED(ErrorKind.EXTERNAL);

    private final ErrorKind kind;

    MigrationErrorCode(ErrorKind kind) {
        this.kind = kind;
    }

    @Override
    public ErrorKind kind() {
        return kind;
    }
}
