package org.wwi.control;

import org.wwi.platform.WwiException;

/** The exception of the control services. Messages never contain secrets. */
public final class ControlException extends WwiException {
    private static final long serialVersionUID = 1L;

    ControlException(ControlErrorCode code, String message) {
        super(code, message);
    }

    ControlException(ControlErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
