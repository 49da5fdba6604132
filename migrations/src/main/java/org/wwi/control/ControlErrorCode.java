package org.wwi.control;

import org.wwi.platform.ErrorCode;
import org.wwi.platform.ErrorKind;

/** Error codes of the control services (secrets). */
public enum ControlErrorCode implements ErrorCode {
    NO_MASTER_KEY(ErrorKind.USER),
    MASTER_KEY_EXISTS(ErrorKind.USER),
    WRONG_PASSWORD(ErrorKind.USER),
    WEAK_PASSWORD(ErrorKind.USER),
    SERVICE_KEY_MISSING(ErrorKind.USER),
    SERVICE_KEY_MISMATCH(ErrorKind.USER),
    SERVICE_KEY_INVALID(ErrorKind.USER),
    CREDENTIAL_EXISTS(ErrorKind.USER),
    CREDENTIAL_NOT_FOUND(ErrorKind.USER),
    CREDENTIAL_INVALID(ErrorKind.USER),
    SECRET_CORRUPT(ErrorKind.EXTERNAL),
    DATABASE_FAILED(ErrorKind.EXTERNAL),
    IO_FAILED(ErrorKind.EXTERNAL);

    private final ErrorKind kind;

    ControlErrorCode(ErrorKind kind) {
        this.kind = kind;
    }

    @Override
    public ErrorKind kind() {
        return kind;
    }
}
