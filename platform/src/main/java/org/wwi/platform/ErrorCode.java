package org.wwi.platform;

/** Implemented by each module's error-code enum (Flyway's {@code CoreErrorCode} style). */
public interface ErrorCode {
    /** Who has to act on the error. */
    ErrorKind kind();

    /** The enum constant's name, e.g. {@code DB_UNREACHABLE}. */
    String name();
}
