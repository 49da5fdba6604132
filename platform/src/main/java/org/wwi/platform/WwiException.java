package org.wwi.platform;

import static java.util.Objects.requireNonNull;

/**
 * Base of every module's single exception type. The message is written for the person at
 * the terminal: "Cannot &lt;verb&gt; &lt;thing&gt;: &lt;value&gt; (&lt;hint&gt;)". Messages never contain secrets.
 */
public abstract class WwiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    protected WwiException(ErrorCode code, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.code = requireNonNull(code, "code is null");
    }

    protected WwiException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public ErrorCode code() {
        return code;
    }

    public ErrorKind kind() {
        return code.kind();
    }
}
