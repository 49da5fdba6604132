package org.wwi.reports;

import org.wwi.semantic.SemanticQuery.Filter;
import org.wwi.semantic.SemanticQuery.Operator;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a reader chose: values of the dashboard's filters ({@code channel=Web},
 * {@code date=2026-08-01..2026-08-31}, {@code region=Europe,Asia}) and parameter overrides
 * ({@code user=3696}).
 */
public record Selection(Map<String, String> values) {
    public Selection {
        values = Map.copyOf(requireNonNull(values, "values is null"));
    }

    public static Selection none() {
        return new Selection(Map.of());
    }

    /** Parses {@code name=value} pairs (command line {@code --filter}, query parameters). */
    public static Selection parse(List<String> pairs) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new ReportsException(ReportsErrorCode.FILTER_INVALID, "Cannot use filter '" + p
                        + "' (write name=value, e.g. channel=Web or date=2026-08-01..2026-08-31)");
            }
            v.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
        return new Selection(v);
    }

    /** A date range {@code from..to} (both inclusive). */
    record Range(LocalDate from, LocalDate to) {
        Range previous() {
            long days = ChronoUnit.DAYS.between(from, to) + 1;
            return new Range(from.minusDays(days), from.minusDays(1));
        }

        Filter filter(String member) {
            return new Filter(member, Operator.BETWEEN, List.of(from.toString(), to.toString()));
        }

        @Override
        public String toString() {
            return from + " to " + to;
        }
    }

    /** Checks names and values against a dashboard: unknown filters and bad dates are errors. */
    void check(Dashboard d) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            boolean isFilter = d.filters().stream().anyMatch(f -> f.name().equals(e.getKey()));
            if (!isFilter && !d.parameters().containsKey(e.getKey())) {
                throw new ReportsException(ReportsErrorCode.FILTER_INVALID, "Cannot use filter '" + e.getKey()
                        + "' on dashboard " + d.name() + " (its filters: " + String.join(", ", d.filters().stream()
                        .map(Dashboard.FilterDef::name).toList()) + (d.parameters().isEmpty() ? "" : "; parameters: "
                        + String.join(", ", d.parameters().keySet())) + ")");
            }
        }
        d.filters().stream().filter(Dashboard.FilterDef::dateRange).forEach(f -> range(f));
    }

    /** The chosen date range of a date filter, if any. */
    Optional<Range> range(Dashboard.FilterDef f) {
        String v = values.get(f.name());
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        String[] parts = v.split("\\.\\.", -1);
        try {
            if (parts.length != 2) {
                throw new DateTimeParseException("expected from..to", v, 0);
            }
            Range r = new Range(LocalDate.parse(parts[0].trim()), LocalDate.parse(parts[1].trim()));
            if (r.to().isBefore(r.from())) {
                throw new DateTimeParseException("the end is before the start", v, 0);
            }
            return Optional.of(r);
        } catch (DateTimeParseException e) {
            throw new ReportsException(ReportsErrorCode.FILTER_INVALID, "Cannot use " + f.name() + "=" + v
                    + ": " + e.getMessage() + " (write " + f.name() + "=2026-08-01..2026-08-31)");
        }
    }

    /** The filter of a value filter, if chosen: one value is {@code =}, a comma list is {@code IN}. */
    Optional<Filter> valueFilter(Dashboard.FilterDef f) {
        String v = values.get(f.name());
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        List<String> items = new ArrayList<>(Arrays.stream(v.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList());
        return Optional.of(items.size() == 1 ? new Filter(f.member(), Operator.EQUALS, items)
                : new Filter(f.member(), Operator.IN, items));
    }

    /** The dashboard's parameters with the reader's overrides. */
    Map<String, String> parameters(Dashboard d) {
        Map<String, String> p = new LinkedHashMap<>(d.parameters());
        values.forEach((k, v) -> {
            if (p.containsKey(k)) {
                p.put(k, v);
            }
        });
        return p;
    }
}
