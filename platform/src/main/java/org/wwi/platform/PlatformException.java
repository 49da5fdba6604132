package org.wwi.platform;

/** The platform module's exception. */
public final class PlatformException extends WwiException {
    private static final long serialVersionUID = 1L;

    public PlatformException(PlatformErrorCode code, String message) {
        super(code, message);
    }

    public PlatformException(PlatformErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
