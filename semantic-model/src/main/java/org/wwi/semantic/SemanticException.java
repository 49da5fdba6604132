package org.wwi.semantic;

import org.wwi.platform.WwiException;

/** The semantic layer's exception; the message names the file, member or query and the fix. */
public final class SemanticException extends WwiException {
    private static final long serialVersionUID = 1L;

    SemanticException(SemanticErrorCode code, String message) {
        super(code, message);
    }

    SemanticException(SemanticErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    @Override
    public SemanticErrorCode code() {
        return (SemanticErrorCode) super.code();
    }
}
