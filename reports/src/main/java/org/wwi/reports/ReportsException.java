package org.wwi.reports;

import org.wwi.platform.WwiException;

/** The one exception type of the reports module. */
public final class ReportsException extends WwiException {
    private static final long serialVersionUID = 1L;

    public ReportsException(ReportsErrorCode code, String message) {
        super(code, message);
    }

    public ReportsException(ReportsErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
