package org.wwi.semantic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A query by members rather than SQL, as {@code wwi query} and dashboards send it. Members are
 * named by their path in the view ({@code product.category}, {@code revenue}) or by their
 * column name ({@code product_category}); without a view, the first view the principal may see
 * that has all of them answers.
 *
 * @param view       the view, or empty to pick one
 * @param measures   measures, e.g. revenue, orders
 * @param dimensions dimensions to group by, e.g. product.category, date.month
 * @param filters    conditions, all of which must hold
 * @param segments   segments (named filters) that must hold
 * @param order      sort order; empty sorts by the dimensions
 * @param limit      maximum rows, if any
 */
public record SemanticQuery(Optional<String> view, List<String> measures, List<String> dimensions,
                            List<Filter> filters, List<String> segments, List<Order> order, OptionalInt limit) {
    public SemanticQuery {
        requireNonNull(view, "view is null");
        measures = List.copyOf(measures);
        dimensions = List.copyOf(dimensions);
        filters = List.copyOf(filters);
        segments = List.copyOf(segments);
        order = List.copyOf(order);
        requireNonNull(limit, "limit is null");
        if (measures.isEmpty() && dimensions.isEmpty()) {
            throw new SemanticException(SemanticErrorCode.QUERY_INVALID, "Cannot run an empty query "
                    + "(name at least one measure or dimension)");
        }
    }

    public static SemanticQuery of(List<String> measures, List<String> dimensions) {
        return new SemanticQuery(Optional.empty(), measures, dimensions, List.of(), List.of(), List.of(),
                OptionalInt.empty());
    }

    public SemanticQuery withView(String v) {
        return new SemanticQuery(Optional.of(v), measures, dimensions, filters, segments, order, limit);
    }

    public SemanticQuery withFilters(List<Filter> f) {
        return new SemanticQuery(view, measures, dimensions, f, segments, order, limit);
    }

    public SemanticQuery withSegments(List<String> s) {
        return new SemanticQuery(view, measures, dimensions, filters, s, order, limit);
    }

    public SemanticQuery withOrder(List<Order> o) {
        return new SemanticQuery(view, measures, dimensions, filters, segments, o, limit);
    }

    public SemanticQuery withLimit(int n) {
        return new SemanticQuery(view, measures, dimensions, filters, segments, order, OptionalInt.of(n));
    }

    /** Comparison operators of a {@link Filter}. */
    public enum Operator {
        EQUALS("="), NOT_EQUALS("<>"), GREATER(">"), GREATER_OR_EQUAL(">="), LESS("<"), LESS_OR_EQUAL("<="),
        IN("IN"), NOT_IN("NOT IN"), CONTAINS("LIKE"), BETWEEN("BETWEEN");

        final String sql;

        Operator(String sql) {
            this.sql = sql;
        }
    }

    /** {@code member operator values}, e.g. {@code channel.name = Web}. */
    public record Filter(String member, Operator operator, List<String> values) {
        private static final Pattern SYNTAX = Pattern.compile(
                "\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*(<>|!=|>=|<=|=|>|<|(?i:not\\s+in)\\b|(?i:in)\\b|(?i:contains)\\b"
                        + "|(?i:between)\\b)\\s*(.*?)\\s*", Pattern.DOTALL);

        public Filter {
            requireNonNull(member, "member is null");
            requireNonNull(operator, "operator is null");
            values = List.copyOf(values);
            int expected = operator == Operator.BETWEEN ? 2 : operator == Operator.IN || operator == Operator.NOT_IN
                    ? -1 : 1;
            if (expected > 0 && values.size() != expected || values.isEmpty()) {
                throw new SemanticException(SemanticErrorCode.QUERY_INVALID, "Cannot use filter on " + member + ": "
                        + operator.sql + " takes " + (expected < 0 ? "a list of values" : expected + " value(s)")
                        + ", got " + values);
            }
        }

        /**
         * Parses {@code channel.name = Web}, {@code date.month >= 2026-03}, {@code customer.region in
         * (Europe, 'North America')}, {@code date.day between 2026-01-01 and 2026-03-31},
         * {@code product.name contains Mug}. Quotes are optional around single words.
         */
        public static Filter parse(String text) {
            Matcher m = SYNTAX.matcher(text);
            if (!m.matches() || m.group(3).isEmpty()) {
                throw new SemanticException(SemanticErrorCode.QUERY_INVALID, "Cannot parse filter: '" + text
                        + "' (write member operator value, e.g. 'channel.name = Web', 'date.month >= 2026-03', "
                        + "'customer.region in (Europe, Asia)', 'date.day between 2026-01-01 and 2026-01-31')");
            }
            String op = m.group(2).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
            Operator operator = switch (op) {
                case "=" -> Operator.EQUALS;
                case "<>", "!=" -> Operator.NOT_EQUALS;
                case ">" -> Operator.GREATER;
                case ">=" -> Operator.GREATER_OR_EQUAL;
                case "<" -> Operator.LESS;
                case "<=" -> Operator.LESS_OR_EQUAL;
                case "IN" -> Operator.IN;
                case "NOT IN" -> Operator.NOT_IN;
                case "CONTAINS" -> Operator.CONTAINS;
                default -> Operator.BETWEEN;
            };
            String rest = m.group(3);
            List<String> values = switch (operator) {
                case IN, NOT_IN -> split(rest.replaceAll("^\\(|\\)$", ""), ",");
                case BETWEEN -> split(rest, "(?i)\\s+and\\s+");
                default -> List.of(unquote(rest));
            };
            return new Filter(m.group(1), operator, values);
        }

        private static List<String> split(String s, String separator) {
            List<String> out = new ArrayList<>();
            if (separator.equals(",")) {
                StringBuilder cur = new StringBuilder();
                boolean quoted = false;
                for (char c : s.toCharArray()) {
                    if (c == '\'') {
                        quoted = !quoted;
                    }
                    if (c == ',' && !quoted) {
                        out.add(unquote(cur.toString()));
                        cur.setLength(0);
                    } else {
                        cur.append(c);
                    }
                }
                out.add(unquote(cur.toString()));
                return out;
            }
            for (String p : s.split(separator)) {
                out.add(unquote(p));
            }
            return out;
        }

        private static String unquote(String s) {
            String t = s.trim();
            if (t.length() >= 2 && (t.startsWith("'") && t.endsWith("'") || t.startsWith("\"") && t.endsWith("\""))) {
                return t.substring(1, t.length() - 1).replace("''", "'");
            }
            return t;
        }
    }

    /** A sort key: a member and its direction. */
    public record Order(String member, boolean descending) {
        public Order {
            requireNonNull(member, "member is null");
        }

        /** {@code revenue desc}, {@code date.month} (ascending). */
        public static Order parse(String text) {
            String[] parts = text.trim().split("\\s+");
            if (parts.length > 2 || parts.length == 2 && !parts[1].matches("(?i)asc|desc")) {
                throw new SemanticException(SemanticErrorCode.QUERY_INVALID, "Cannot parse sort order: '" + text
                        + "' (write member [asc|desc], e.g. 'revenue desc')");
            }
            return new Order(parts[0], parts.length == 2 && parts[1].equalsIgnoreCase("desc"));
        }
    }
}
