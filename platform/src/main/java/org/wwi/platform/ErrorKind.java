package org.wwi.platform;

/**
 * Who has to act on an error: the user (fix input or configuration), something external
 * (a database or storage that is down or refuses) or the project itself (a bug).
 */
public enum ErrorKind {
    /** Bad input, configuration or usage; the message says what to change. */
    USER(1),
    /** A system outside the process failed or refused (database, storage, network). */
    EXTERNAL(3),
    /** A bug in WWI Warehouse; the message asks for a report. */
    INTERNAL(70);

    private final int exitCode;

    ErrorKind(int exitCode) {
        this.exitCode = exitCode;
    }

    /** The process exit code the CLI uses for errors of this kind. */
    public int exitCode() {
        return exitCode;
    }
}
