package org.wwi.reports;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;

import static java.util.Objects.requireNonNull;

/**
 * A dashboard of {@code reports/dashboards/NAME.yaml}: a title, the roles that may open it, the
 * filters a reader may set, when {@code wwi agent} refreshes it, and tiles, each a semantic-layer query.
 *
 * @param name       the file name without {@code .yaml}
 * @param file       the file as shown in messages ({@code dashboards/sales_overview.yaml})
 * @param roles      the model roles that may open it; empty means every role that sees one of its views
 * @param parameters values of {@code ${name}} in tile filters (a reader may override them)
 */
public record Dashboard(String name, String file, String title, String description, List<String> roles,
                        Refresh refresh, List<FilterDef> filters, Map<String, String> parameters, List<Tile> tiles) {
    public Dashboard {
        requireNonNull(name, "name is null");
        requireNonNull(file, "file is null");
        requireNonNull(title, "title is null");
        requireNonNull(description, "description is null");
        roles = List.copyOf(roles);
        requireNonNull(refresh, "refresh is null");
        filters = List.copyOf(filters);
        parameters = Map.copyOf(parameters);
        tiles = List.copyOf(tiles);
    }

    /** The pipeline after whose successful runs the agent renders the dashboard, if any. */
    public Optional<String> refreshAfter() {
        return refresh.after();
    }

    /**
     * When {@code wwi agent} renders the dashboard: after each successful run of a pipeline, on a
     * Quartz cron schedule in a time zone, or both.
     *
     * @param cron the schedule's expression as written ({@code 0 0 6 * * ?}), checked by Quartz
     */
    public record Refresh(Optional<String> after, Optional<String> cron, TimeZone zone) {
        public Refresh {
            requireNonNull(after, "after is null");
            requireNonNull(cron, "cron is null");
            requireNonNull(zone, "zone is null");
        }

        public static Refresh none() {
            return new Refresh(Optional.empty(), Optional.empty(), TimeZone.getTimeZone("UTC"));
        }

        public boolean isEmpty() {
            return after.isEmpty() && cron.isEmpty();
        }

        /** For people: "after weblogs_daily; cron 0 0 6 * * ? (UTC)". */
        public String describe() {
            List<String> parts = new java.util.ArrayList<>();
            after.ifPresent(a -> parts.add("after " + a));
            cron.ifPresent(c -> parts.add("cron " + c + " (" + zone.getID() + ")"));
            return String.join("; ", parts);
        }
    }

    /** A filter a reader may set: a date range or a value (or list of values) of a dimension. */
    public record FilterDef(String name, String member, boolean dateRange, String label) {
        public FilterDef {
            requireNonNull(name, "name is null");
            requireNonNull(member, "member is null");
            requireNonNull(label, "label is null");
        }
    }

    /** What a tile draws. */
    public enum Kind {
        KPI, LINE, AREA, BAR, STACKED_BAR, PIE, DONUT, TABLE, FUNNEL, RECOMMENDATIONS;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean isChart() {
            return this != KPI && this != TABLE && this != RECOMMENDATIONS;
        }
    }

    /**
     * A tile: one query of the semantic layer on one view.
     *
     * @param sparkline for a KPI: the time member of its sparkline (e.g. {@code date.day})
     * @param totals    for a table: add a totals row (a second query at the grand-total grain, so ratios stay right)
     * @param filters   the tile's own filters, {@code member op value}, with {@code ${param}} placeholders
     */
    public record Tile(String id, String title, Kind kind, String view, List<String> measures,
                       List<String> dimensions, List<String> filters, List<String> order, Optional<Integer> limit,
                       Optional<String> sparkline, boolean totals, int width) {
        public Tile {
            requireNonNull(id, "id is null");
            requireNonNull(title, "title is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(view, "view is null");
            measures = List.copyOf(measures);
            dimensions = List.copyOf(dimensions);
            filters = List.copyOf(filters);
            order = List.copyOf(order);
            requireNonNull(limit, "limit is null");
            requireNonNull(sparkline, "sparkline is null");
        }
    }
}
