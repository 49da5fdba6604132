package org.wwi.migrations;

import org.wwi.platform.WwiException;

/** The migrations module's exception. */
public final class MigrationException extends WwiException {
    private static final long serialVersionUID = 1L;

    MigrationException(MigrationErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
