package org.wwi.reports;

import org.wwi.reports.Dashboard.FilterDef;
import org.wwi.reports.Dashboard.Kind;
import org.wwi.reports.Dashboard.Tile;
import org.wwi.reports.Selection.Range;
import org.wwi.semantic.Principal;
import org.wwi.semantic.QueryResult;
import org.wwi.semantic.SemanticLayer;
import org.wwi.semantic.SemanticQuery;
import org.wwi.semantic.SemanticQuery.Filter;
import org.wwi.semantic.SemanticQuery.Order;
import org.wwi.platform.WwiException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Runs a tile's queries through the semantic layer as a principal, so that the principal's role
 * (views, hidden members, row filters) applies to every number of every tile. A dashboard filter
 * applies to the tiles whose view has its member; a table's totals and a KPI's previous period are
 * queries of their own at their grain, never sums of the rows shown (ratios stay ratios).
 */
final class TileRunner {
    private final SemanticLayer layer;

    TileRunner(SemanticLayer layer) {
        this.layer = requireNonNull(layer, "layer is null");
    }

    /** The member paths of each view a principal sees. */
    Map<String, Set<String>> members(Principal principal) {
        Map<String, Set<String>> out = new java.util.HashMap<>();
        for (SemanticLayer.ViewInfo v : layer.views(principal)) {
            Set<String> m = new java.util.HashSet<>();
            v.members().forEach(x -> {
                m.add(x.path().toLowerCase(java.util.Locale.ROOT));
                m.add(x.column().toLowerCase(java.util.Locale.ROOT));
            });
            out.put(v.name(), m);
        }
        return out;
    }

    /**
     * Whether a principal may open a dashboard: the operator always; a role when the dashboard's
     * {@code roles} (if any) list it and it sees the view of at least one tile.
     */
    static boolean visible(Dashboard d, Principal principal, Map<String, Set<String>> members) {
        if (principal.role().isEmpty()) {
            return true;
        }
        if (!d.roles().isEmpty() && !d.roles().contains(principal.role().get())) {
            return false;
        }
        return d.tiles().stream().anyMatch(t -> members.containsKey(t.view()));
    }

    /**
     * Why a tile is not available to a principal, if it is not: its view is not visible to the role,
     * or a member it needs (a measure, dimension, sparkline, order or filter member, or the member
     * of a dashboard filter the reader set) is hidden from it.
     *
     * @param all the members of every view, as the operator sees them
     */
    static Optional<String> unavailable(Dashboard d, Tile t, Principal principal, Selection selection,
                                        Map<String, Set<String>> members, Map<String, Set<String>> all) {
        Set<String> visible = members.get(t.view());
        if (visible == null) {
            return Optional.of("view " + t.view() + " is not visible to " + describe(principal));
        }
        Map<String, String> parameters = selection.parameters(d);
        List<String> needed = new ArrayList<>(t.measures());
        needed.addAll(t.dimensions());
        t.sparkline().ifPresent(needed::add);
        t.filters().forEach(f -> needed.add(Filter.parse(DashboardReader.substitute(f, parameters)).member()));
        t.order().forEach(o -> needed.add(Order.parse(o).member()));
        for (FilterDef f : d.filters()) {
            String v = selection.values().get(f.name());
            if (v != null && !v.isBlank() && all.getOrDefault(t.view(), Set.of()).contains(f.member())) {
                needed.add(f.member());
            }
        }
        for (String m : needed) {
            if (!visible.contains(m.trim().toLowerCase(java.util.Locale.ROOT))) {
                return Optional.of("member " + m.trim() + " of view " + t.view() + " is hidden from "
                        + describe(principal));
            }
        }
        return Optional.empty();
    }

    TileResult run(Dashboard d, Tile t, Principal principal, Selection selection, Map<String, Set<String>> members,
                   Map<String, Set<String>> all) {
        long t0 = System.nanoTime();
        Optional<String> why = unavailable(d, t, principal, selection, members, all);
        if (why.isPresent()) {
            return TileResult.unavailable(t, why.get());
        }
        Set<String> viewMembers = members.get(t.view());
        Map<String, String> parameters = selection.parameters(d);
        List<Filter> filters = new ArrayList<>();
        for (String f : t.filters()) {
            filters.add(Filter.parse(DashboardReader.substitute(f, parameters)));
        }
        Optional<Range> range = Optional.empty();
        FilterDef dateFilter = null;
        for (FilterDef f : d.filters()) {
            if (!viewMembers.contains(f.member().toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            if (f.dateRange()) {
                Optional<Range> r = selection.range(f);
                if (r.isPresent() && range.isEmpty()) {
                    range = r;
                    dateFilter = f;
                }
            } else {
                selection.valueFilter(f).ifPresent(filters::add);
            }
        }
        List<Filter> base = List.copyOf(filters);
        if (range.isPresent()) {
            filters.add(range.get().filter(dateFilter.member()));
        }
        SemanticQuery q = SemanticQuery.of(t.measures(), t.dimensions()).withView(t.view()).withFilters(filters)
                .withOrder(t.order().stream().map(Order::parse).toList());
        if (t.limit().isPresent()) {
            q = q.withLimit(t.limit().get());
        }
        QueryResult main = query(d, t, q, principal);
        Set<String> rollups = new LinkedHashSet<>(main.rollups());
        Optional<QueryResult> totals = Optional.empty();
        Optional<QueryResult> previous = Optional.empty();
        Optional<QueryResult> spark = Optional.empty();
        String note = "";
        if (t.kind() == Kind.TABLE && t.totals() && !t.measures().isEmpty()) {
            totals = Optional.of(query(d, t, SemanticQuery.of(t.measures(), List.of()).withView(t.view())
                    .withFilters(filters), principal));
        }
        if (t.kind() == Kind.KPI) {
            if (range.isPresent()) {
                Range p = range.get().previous();
                List<Filter> pf = new ArrayList<>(base);
                pf.add(p.filter(dateFilter.member()));
                previous = Optional.of(query(d, t, SemanticQuery.of(t.measures(), List.of()).withView(t.view())
                        .withFilters(pf), principal));
                note = "vs " + p;
            }
            if (t.sparkline().isPresent()) {
                String s = t.sparkline().get();
                spark = Optional.of(query(d, t, SemanticQuery.of(t.measures().subList(0, 1), List.of(s))
                        .withView(t.view()).withFilters(filters).withOrder(List.of(new Order(s, false))), principal));
                if (range.isEmpty()) {
                    note = "last vs previous " + s.substring(s.indexOf('.') + 1);
                }
            }
        }
        totals.ifPresent(r -> rollups.addAll(r.rollups()));
        previous.ifPresent(r -> rollups.addAll(r.rollups()));
        spark.ifPresent(r -> rollups.addAll(r.rollups()));
        return new TileResult(t, main, totals, previous, spark, note, List.copyOf(rollups),
                Duration.ofNanos(System.nanoTime() - t0), Optional.empty());
    }

    private QueryResult query(Dashboard d, Tile t, SemanticQuery q, Principal principal) {
        try {
            return layer.query(q, principal);
        } catch (WwiException e) {
            throw new ReportsException(ReportsErrorCode.TILE_FAILED, "Cannot render tile " + t.id() + " of "
                    + d.file() + ": " + e.getMessage(), e);
        }
    }

    static String describe(Principal p) {
        return p.role().map(r -> "user " + p.user() + " (role " + r + ")").orElse("user " + p.user());
    }
}
