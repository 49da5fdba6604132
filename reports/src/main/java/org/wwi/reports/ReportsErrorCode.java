package org.wwi.reports;

import org.wwi.platform.ErrorCode;
import org.wwi.platform.ErrorKind;

/** Error codes of the reports module. */
public enum ReportsErrorCode implements ErrorCode {
    /** A dashboard file is malformed or names something the semantic model does not have. */
    DASHBOARD_INVALID(ErrorKind.USER),
    /** No dashboard of that name. */
    DASHBOARD_UNKNOWN(ErrorKind.USER),
    /** The principal's role may not see the dashboard or the tile. */
    DASHBOARD_FORBIDDEN(ErrorKind.USER),
    /** A filter given on the command line or in a request is malformed or unknown. */
    FILTER_INVALID(ErrorKind.USER),
    /** A tile's query failed in the semantic layer or in PostgreSQL. */
    TILE_FAILED(ErrorKind.EXTERNAL),
    /** Writing the rendered files failed. */
    OUTPUT_FAILED(ErrorKind.EXTERNAL),
    /** The report server cannot start (port in use). */
    SERVER_FAILED(ErrorKind.EXTERNAL),
    /** A bug in the reports module. */
    INTERNAL(ErrorKind.INTERNAL);

    private final ErrorKind kind;

    ReportsErrorCode(ErrorKind kind) {
        this.kind = kind;
    }

    @Override
    public ErrorKind kind() {
        return kind;
    }
}
