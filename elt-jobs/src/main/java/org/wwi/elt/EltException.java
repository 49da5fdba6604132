package org.wwi.elt;

import org.wwi.platform.WwiException;

import java.sql.SQLException;

/** The exception of the ELT module. */
public final class EltException extends WwiException {
    private static final long serialVersionUID = 1L;

    EltException(EltErrorCode code, String message) {
        super(code, message);
    }

    EltException(EltErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /** A failed call to the warehouse: a missing ELT schema is the user's to fix (wwi migrate). */
    static EltException of(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals("3F000") || state.equals("42P01") && String.valueOf(e.getMessage()).contains("elt.")) {
            return new EltException(EltErrorCode.SCHEMA_MISSING, "Cannot " + what + ": " + firstLine(e)
                    + " (the warehouse lacks the ELT ledger; run wwi migrate)", e);
        }
        return new EltException(EltErrorCode.DATABASE_FAILED, "Cannot " + what + ": " + firstLine(e), e);
    }

    /** The first line of PostgreSQL's message (without the "Where:"/"Position:" details). */
    static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
