package org.wwi.external.query;

import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.load.TargetTable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CTAS {@code DISTRIBUTION = HASH(col) | ROUND_ROBIN | REPLICATE}: recorded in
 * {@code ingest.distribution}; applied with Citus ({@code create_distributed_table},
 * {@code create_reference_table}) when the extension is installed, otherwise accepted with a notice.
 * Other CTAS options (e.g. {@code CLUSTERED COLUMNSTORE INDEX}) are accepted and ignored with a notice.
 */
record Distribution(String kind, String column) {
    static final Distribution NONE = new Distribution(null, null);

    record Parsed(Distribution distribution, List<String> notices) {
    }

    static Parsed parse(List<SqlText.Token> options, String sql) {
        Distribution d = NONE;
        List<String> notices = new ArrayList<>();
        int i = 0;
        while (i < options.size()) {
            SqlText.Token t = options.get(i);
            if (t.is("DISTRIBUTION")) {
                if (i + 2 >= options.size() || !options.get(i + 1).isPunct('=')) {
                    throw bad(sql);
                }
                SqlText.Token k = options.get(i + 2);
                if (k.is("HASH")) {
                    if (i + 5 >= options.size() + 1 || !options.get(i + 3).isPunct('(') || !options.get(i + 5).isPunct(')')) {
                        throw bad(sql);
                    }
                    d = new Distribution("HASH", options.get(i + 4).text());
                    i += 6;
                } else if (k.is("ROUND_ROBIN") || k.is("REPLICATE")) {
                    d = new Distribution(k.text().toUpperCase(Locale.ROOT), null);
                    i += 3;
                } else {
                    throw bad(sql);
                }
            } else if (t.isPunct(',')) {
                i++;
            } else {
                int start = i;
                int depth = 0;
                while (i < options.size() && (depth > 0 || !options.get(i).isPunct(','))) {
                    if (options.get(i).isPunct('(')) {
                        depth++;
                    } else if (options.get(i).isPunct(')')) {
                        depth--;
                    }
                    i++;
                }
                String text = options.subList(start, i).stream().map(SqlText.Token::text)
                        .reduce((a, b) -> a + " " + b).orElse("");
                notices.add("CTAS option " + text + " ignored (PostgreSQL has no equivalent)");
            }
        }
        return new Parsed(d, notices);
    }

    private static ExternalException bad(String sql) {
        return new ExternalException(ExternalErrorCode.SYNTAX_ERROR, "Cannot run " + sql.replaceAll("\\s+", " ")
                + ": expected DISTRIBUTION = HASH(<column>) | ROUND_ROBIN | REPLICATE");
    }

    /** Records and, with Citus, applies the distribution; returns notices for the user. */
    List<String> apply(Connection tx, TargetTable target) throws SQLException {
        if (kind == null) {
            return List.of();
        }
        String column = null;
        if (kind.equals("HASH")) {
            column = target.column(this.column.replace("\"", "")).map(TargetTable.Column::name).orElseThrow(() ->
                    new ExternalException(ExternalErrorCode.LOAD_TARGET_INVALID, "Cannot distribute "
                            + target.qualifiedName() + " by HASH(" + this.column + "): it has no such column"));
        }
        boolean citus;
        try (Statement st = tx.createStatement();
             ResultSet rs = st.executeQuery("select exists (select 1 from pg_extension where extname = 'citus'), "
                     + "to_regclass('ingest.distribution') is not null")) {
            rs.next();
            citus = rs.getBoolean(1);
            if (!rs.getBoolean(2)) {
                return List.of("DISTRIBUTION = " + describe() + " accepted but not recorded (the warehouse has no "
                        + "ingest.distribution; run wwi migrate)");
            }
        }
        boolean applied = false;
        String notice;
        if (citus && kind.equals("HASH")) {
            try (PreparedStatement ps = tx.prepareStatement("select create_distributed_table(?, ?)")) {
                ps.setString(1, target.quoted());
                ps.setString(2, column);
                ps.execute();
            }
            applied = true;
            notice = "DISTRIBUTION = " + describe() + " applied with Citus create_distributed_table";
        } else if (citus && kind.equals("REPLICATE")) {
            try (PreparedStatement ps = tx.prepareStatement("select create_reference_table(?)")) {
                ps.setString(1, target.quoted());
                ps.execute();
            }
            applied = true;
            notice = "DISTRIBUTION = REPLICATE applied with Citus create_reference_table";
        } else if (citus) {
            notice = "DISTRIBUTION = ROUND_ROBIN recorded; Citus has no round-robin tables, so the table stays local";
        } else {
            notice = "DISTRIBUTION = " + describe() + " recorded in ingest.distribution; the Citus extension is not "
                    + "installed, so the table stays on this server";
        }
        try (PreparedStatement ps = tx.prepareStatement("insert into ingest.distribution (table_name, distribution, "
                + "hash_column, applied) values (?, ?, ?, ?) on conflict (table_name) do update set distribution = "
                + "excluded.distribution, hash_column = excluded.hash_column, applied = excluded.applied, "
                + "recorded_at = now()")) {
            ps.setString(1, target.qualifiedName());
            ps.setString(2, kind);
            ps.setString(3, column);
            ps.setBoolean(4, applied);
            ps.executeUpdate();
        }
        return List.of(notice);
    }

    String describe() {
        return kind.equals("HASH") ? "HASH(" + column + ")" : kind;
    }
}
