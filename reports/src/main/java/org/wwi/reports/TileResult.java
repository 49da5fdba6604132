package org.wwi.reports;

import org.wwi.reports.Dashboard.Tile;
import org.wwi.semantic.QueryResult;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What one tile's queries returned.
 *
 * @param main     the tile's query
 * @param totals   a table's totals row (the same measures at the grand-total grain)
 * @param previous a KPI's value over the previous period of the chosen date range
 * @param spark    a KPI's sparkline series
 * @param note     what the comparison compares, for the reader
 * @param rollups  the rollups that answered any of the queries
 * @param unavailable why the principal may not see the tile (its view or a member is not visible to the role);
 *                 then no query ran and {@code main} has no columns
 */
public record TileResult(Tile tile, QueryResult main, Optional<QueryResult> totals, Optional<QueryResult> previous,
                         Optional<QueryResult> spark, String note, List<String> rollups, Duration elapsed,
                         Optional<String> unavailable) {
    public TileResult {
        requireNonNull(tile, "tile is null");
        requireNonNull(main, "main is null");
        requireNonNull(totals, "totals is null");
        requireNonNull(previous, "previous is null");
        requireNonNull(spark, "spark is null");
        requireNonNull(note, "note is null");
        rollups = List.copyOf(rollups);
        requireNonNull(elapsed, "elapsed is null");
        requireNonNull(unavailable, "unavailable is null");
    }

    /** A tile the principal may not see: nothing ran. */
    static TileResult unavailable(Tile tile, String why) {
        return new TileResult(tile, new QueryResult(List.of(), List.of(), "", "", List.of(), Duration.ZERO),
                Optional.empty(), Optional.empty(), Optional.empty(), "", List.of(), Duration.ZERO, Optional.of(why));
    }

    public boolean isAvailable() {
        return unavailable.isEmpty();
    }

    public boolean isEmpty() {
        return main.rows().isEmpty() || main.rows().stream().allMatch(r -> r.stream().allMatch(v -> v == null));
    }

    /**
     * The tile's rows as CSV (RFC 4180, raw values, a header of column names). A text cell that
     * starts with {@code = + - @}, a tab or a carriage return is prefixed with a single quote, so a
     * spreadsheet shows it as text instead of running it as a formula (CSV injection); numbers are
     * written as they are, negative ones included.
     */
    public String csv() {
        StringBuilder b = new StringBuilder();
        appendRow(b, main.columns().stream().map(QueryResult.Column::name).map(s -> (Object) s).toList());
        main.rows().forEach(r -> appendRow(b, r));
        return b.toString();
    }

    private static void appendRow(StringBuilder b, List<?> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            Object v = values.get(i);
            String s = v == null ? "" : v.toString();
            if (!(v instanceof Number) && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
                s = "'" + s;
            }
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                s = '"' + s.replace("\"", "\"\"") + '"';
            }
            b.append(s);
        }
        b.append("\r\n");
    }
}
