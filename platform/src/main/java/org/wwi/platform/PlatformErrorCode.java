package org.wwi.platform;

/** Error codes of the platform module: configuration and database access. */
public enum PlatformErrorCode implements ErrorCode {
    CONFIG_INVALID(ErrorKind.USER),
    CONFIG_UNREADABLE(ErrorKind.USER),
    DB_URL_INVALID(ErrorKind.USER),
    DB_UNREACHABLE(ErrorKind.EXTERNAL),
    DB_AUTH_FAILED(ErrorKind.EXTERNAL),
    DB_ERROR(ErrorKind.EXTERNAL),
    DB_TOO_OLD(ErrorKind.USER),
    EMBEDDED_ALREADY_RUNNING(ErrorKind.USER),
    EMBEDDED_NOT_RUNNING(ErrorKind.USER),
    EMBEDDED_START_FAILED(ErrorKind.EXTERNAL),
    EMBEDDED_PORT_IN_USE(ErrorKind.USER),
    IO_FAILED(ErrorKind.EXTERNAL),
    INTERRUPTED(ErrorKind.EXTERNAL);

    private final ErrorKind kind;

    PlatformErrorCode(ErrorKind kind) {
        this.kind = kind;
    }

    @Override
    public ErrorKind kind() {
        return kind;
    }
}
