package org.wwi.sample;

import org.wwi.platform.WwiException;

/** The sample-data module's exception; its message says what to change. */
public final class SampleDataException extends WwiException {
    private static final long serialVersionUID = 1L;

    public SampleDataException(SampleDataErrorCode code, String message) {
        super(code, message);
    }

    public SampleDataException(SampleDataErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    static SampleDataException invalidSpec(String thing, Object value, String hint) {
        return new SampleDataException(SampleDataErrorCode.SPEC_INVALID,
                "Cannot use sample-data " + thing + ": " + value + " (" + hint + ")");
    }

    static SampleDataException writeFailed(Object what, Throwable cause) {
        return new SampleDataException(SampleDataErrorCode.WRITE_FAILED,
                "Cannot write sample data: " + what + " (" + cause
                        + "; check free disk space and permissions)", cause);
    }
}
