package org.wwi.jobs;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** Small JDBC helpers. */
final class Sql {
    private Sql() {
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction of a new connection; failures become ElasticJobsException. */
    static <T> T inTransaction(DataSource ds, String what, Work<T> work) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                T t = work.run(c);
                c.commit();
                return t;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw ElasticJobsException.of(what, e);
        }
    }

    static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException r) {
            cause.addSuppressed(r);
        }
    }

    /** The first line of a SQLException's message, without the "ERROR: " prefix. */
    static String firstLine(Throwable e) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null
                && p.getServerErrorMessage().getMessage() != null) {
            return p.getServerErrorMessage().getMessage().lines().findFirst().orElse("");
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.lines().findFirst().orElse(m);
        return m.startsWith("ERROR: ") ? m.substring(7) : m;
    }

    static String hint(SQLException e) {
        if (e instanceof PSQLException p) {
            ServerErrorMessage m = p.getServerErrorMessage();
            if (m != null && m.getHint() != null) {
                return m.getHint();
            }
        }
        return "";
    }

    /** "line N" of the script where the server reported the error, or "". */
    static String position(SQLException e, String script) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            int pos = p.getServerErrorMessage().getPosition();
            if (pos > 0 && script != null && pos <= script.length() + 1) {
                int line = 1;
                for (int i = 0; i < pos - 1 && i < script.length(); i++) {
                    if (script.charAt(i) == '\n') {
                        line++;
                    }
                }
                return "line " + line;
            }
        }
        return "";
    }

    static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
