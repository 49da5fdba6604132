package org.wwi.external;

import org.wwi.platform.WwiException;

/**
 * The one exception of the external-tables module. Messages follow "Cannot &lt;verb&gt;
 * &lt;thing&gt;: &lt;value&gt; (&lt;hint&gt;)" and never contain a secret.
 */
public final class ExternalException extends WwiException {
    private static final long serialVersionUID = 1L;

    public ExternalException(ExternalErrorCode code, String message) {
        super(code, message);
    }

    public ExternalException(ExternalErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    @Override
    public ExternalErrorCode code() {
        return (ExternalErrorCode) super.code();
    }
}
