package org.wwi.semantic;

import org.wwi.platform.ErrorCode;
import org.wwi.platform.ErrorKind;

/** Error codes of the semantic layer. */
public enum SemanticErrorCode implements ErrorCode {
    /** A model file is malformed or refers to something that does not exist. */
    MODEL_INVALID(ErrorKind.USER),
    /** A model file or folder cannot be read. */
    MODEL_UNREADABLE(ErrorKind.USER),
    /** The server configuration ({@code serve.yaml}) is invalid. */
    CONFIG_INVALID(ErrorKind.USER),
    /** A query does not parse or refers to unknown views or members. */
    QUERY_INVALID(ErrorKind.USER),
    /** A query is well formed but refused: it writes, or would give a wrong number. */
    QUERY_REFUSED(ErrorKind.USER),
    /** The role may not see the view or member. */
    ACCESS_DENIED(ErrorKind.USER),
    /** The result has more rows than the configured limit. */
    TOO_MANY_ROWS(ErrorKind.USER),
    /** The query ran longer than the configured timeout. */
    QUERY_TIMEOUT(ErrorKind.EXTERNAL),
    /** No rollup of that name in the model. */
    ROLLUP_UNKNOWN(ErrorKind.USER),
    /** A rollup build was refused (empty or shrunken result) and nothing was swapped. */
    ROLLUP_REFUSED(ErrorKind.USER),
    /** PostgreSQL failed or refused. */
    DATABASE_FAILED(ErrorKind.EXTERNAL),
    /** The JDBC server cannot start (port in use, keystore unreadable). */
    SERVER_FAILED(ErrorKind.EXTERNAL),
    /** A bug in the semantic layer. */
    INTERNAL(ErrorKind.INTERNAL);

    private final ErrorKind kind;

    SemanticErrorCode(ErrorKind kind) {
        this.kind = kind;
    }

    @Override
    public ErrorKind kind() {
        return kind;
    }
}
