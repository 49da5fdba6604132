package org.wwi.reports;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.quartz.CronExpression;
import org.wwi.reports.Dashboard.FilterDef;
import org.wwi.reports.Dashboard.Kind;
import org.wwi.reports.Dashboard.Tile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a dashboard file. Unknown keys, unknown tile kinds, duplicate tile ids, missing measures
 * and undefined {@code ${parameters}} are errors naming the file, the line and the fix. Members
 * are checked against the semantic model by {@link Reports#open}.
 */
final class DashboardReader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Pattern PARAM = Pattern.compile("\\$\\{([a-zA-Z_][a-zA-Z0-9_]*)}");

    record RawDashboard(String title, String description, List<String> roles, RawRefresh refresh,
                        List<RawFilter> filters, Map<String, Object> parameters, List<RawTile> tiles) {
    }

    record RawRefresh(String after, String cron, String time_zone) {
    }

    record RawFilter(String name, String member, String type, String label) {
    }

    record RawTile(String id, String title, String kind, String view, List<String> measures,
                   List<String> dimensions, List<String> filters, List<String> order, Integer limit,
                   String sparkline, Boolean totals, Integer width) {
    }

    private DashboardReader() {
    }

    static Dashboard read(String name, String file, String text) {
        if (!NAME.matcher(name).matches()) {
            throw invalid(file, 0, "the file name must be a lowercase name (a-z, 0-9, _)", "rename the file");
        }
        RawDashboard raw;
        try {
            raw = YAML.readValue(text, RawDashboard.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            throw invalid(file, line(e.getLocation()), "unknown key '" + e.getPropertyName() + "'",
                    "allowed here: " + known);
        } catch (JsonProcessingException e) {
            throw invalid(file, line(e.getLocation()), e.getOriginalMessage(), "fix the YAML");
        }
        if (raw == null) {
            throw invalid(file, 0, "the file is empty", "write a title and tiles");
        }
        if (raw.title() == null || raw.title().isBlank()) {
            throw invalid(file, 0, "'title' is missing", "add 'title: ...'");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (raw.parameters() != null) {
            raw.parameters().forEach((k, v) -> parameters.put(k, String.valueOf(v)));
        }
        List<FilterDef> filters = new ArrayList<>();
        Set<String> filterNames = new HashSet<>();
        for (RawFilter f : raw.filters() == null ? List.<RawFilter>of() : raw.filters()) {
            if (f.name() == null || !NAME.matcher(f.name()).matches() || f.member() == null) {
                throw invalid(file, 0, "a filter needs a lowercase 'name' and a 'member'",
                        "e.g. {name: channel, member: channel.name}");
            }
            if (!filterNames.add(f.name())) {
                throw invalid(file, 0, "filter '" + f.name() + "' appears twice", "keep one");
            }
            String type = f.type() == null ? "value" : f.type();
            if (!type.equals("value") && !type.equals("date_range")) {
                throw invalid(file, 0, "filter '" + f.name() + "': unknown type '" + type + "'",
                        "use value or date_range");
            }
            filters.add(new FilterDef(f.name(), f.member(), type.equals("date_range"),
                    f.label() == null ? f.name() : f.label()));
        }
        if (raw.tiles() == null || raw.tiles().isEmpty()) {
            throw invalid(file, 0, "a dashboard needs tiles", "add 'tiles:' with at least one tile");
        }
        List<Tile> tiles = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < raw.tiles().size(); i++) {
            tiles.add(tile(file, i, raw.tiles().get(i), ids, parameters));
        }
        List<String> roles = raw.roles() == null ? List.of() : raw.roles();
        for (String r : roles) {
            if (r == null || r.isBlank()) {
                throw invalid(file, 0, "'roles' has an empty entry", "list role names of semantic-model/models/roles.yaml");
            }
        }
        return new Dashboard(name, file, raw.title(), raw.description() == null ? "" : raw.description(), roles,
                refresh(file, raw.refresh()), filters, parameters, tiles);
    }

    private static Dashboard.Refresh refresh(String file, RawRefresh r) {
        if (r == null) {
            return Dashboard.Refresh.none();
        }
        if (r.after() == null && r.cron() == null) {
            throw invalid(file, 0, "'refresh' needs 'after' or 'cron'",
                    "e.g. refresh: {after: weblogs_daily} or refresh: {cron: \"0 0 6 * * ?\"}");
        }
        if (r.after() != null && !NAME.matcher(r.after()).matches()) {
            throw invalid(file, 0, "refresh.after '" + r.after() + "' is not a pipeline name",
                    "name a pipeline of elt-jobs/pipelines");
        }
        if (r.cron() != null) {
            try {
                CronExpression.validateExpression(r.cron());
            } catch (java.text.ParseException e) {
                throw invalid(file, 0, "refresh.cron '" + r.cron() + "' is not a Quartz cron expression: "
                        + e.getMessage(), "seconds minutes hours day-of-month month day-of-week, e.g. \"0 0 6 * * ?\"");
            }
        }
        TimeZone zone = TimeZone.getTimeZone("UTC");
        if (r.time_zone() != null) {
            if (r.cron() == null) {
                throw invalid(file, 0, "refresh.time_zone without refresh.cron", "add a cron or remove time_zone");
            }
            try {
                zone = TimeZone.getTimeZone(java.time.ZoneId.of(r.time_zone()));
            } catch (java.time.DateTimeException e) {
                throw invalid(file, 0, "refresh.time_zone '" + r.time_zone() + "' is unknown",
                        "use a region id such as Europe/London or UTC");
            }
        }
        return new Dashboard.Refresh(Optional.ofNullable(r.after()), Optional.ofNullable(r.cron()), zone);
    }

    private static Tile tile(String file, int index, RawTile t, Set<String> ids, Map<String, String> parameters) {
        String where = "tiles[" + index + "]";
        if (t.id() == null || !NAME.matcher(t.id()).matches()) {
            throw invalid(file, 0, where + ": 'id' is missing or not a lowercase name", "add 'id: revenue_by_month'");
        }
        where = "tile " + t.id();
        if (!ids.add(t.id())) {
            throw invalid(file, 0, where + " appears twice", "give each tile its own id");
        }
        if (t.kind() == null) {
            throw invalid(file, 0, where + ": 'kind' is missing", "one of " + kinds());
        }
        Kind kind;
        try {
            kind = Kind.valueOf(t.kind().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(file, 0, where + ": unknown kind '" + t.kind() + "'", "one of " + kinds());
        }
        if (t.view() == null) {
            throw invalid(file, 0, where + ": 'view' is missing", "name the semantic-layer view, e.g. view: sales");
        }
        List<String> measures = t.measures() == null ? List.of() : t.measures();
        List<String> dimensions = t.dimensions() == null ? List.of() : t.dimensions();
        if (measures.isEmpty() && kind != Kind.TABLE && kind != Kind.RECOMMENDATIONS) {
            throw invalid(file, 0, where + ": a " + kind.key() + " tile needs 'measures'", "add measures: [revenue]");
        }
        boolean needsDimension = switch (kind) {
            case LINE, AREA, BAR, STACKED_BAR, PIE, DONUT, TABLE, RECOMMENDATIONS -> true;
            case KPI, FUNNEL -> false;
        };
        if (needsDimension && dimensions.isEmpty()) {
            throw invalid(file, 0, where + ": a " + kind.key() + " tile needs 'dimensions'",
                    "add dimensions: [date.month]");
        }
        if ((kind == Kind.KPI || kind == Kind.FUNNEL) && !dimensions.isEmpty()) {
            throw invalid(file, 0, where + ": a " + kind.key() + " tile has no dimensions", "remove 'dimensions'");
        }
        if (kind == Kind.STACKED_BAR && dimensions.size() != 2) {
            throw invalid(file, 0, where + ": a stacked_bar needs two dimensions (bars, then stacks)",
                    "e.g. dimensions: [date.month, channel.name]");
        }
        if ((kind == Kind.PIE || kind == Kind.DONUT) && (dimensions.size() != 1 || measures.size() != 1)) {
            throw invalid(file, 0, where + ": a " + kind.key() + " needs one measure and one dimension",
                    "e.g. measures: [revenue], dimensions: [product.category]");
        }
        List<String> filters = t.filters() == null ? List.of() : t.filters();
        for (String f : filters) {
            Matcher m = PARAM.matcher(f);
            while (m.find()) {
                if (!parameters.containsKey(m.group(1))) {
                    throw invalid(file, 0, where + ": filter '" + f + "' uses ${" + m.group(1)
                            + "}, which is not a parameter", "add it under 'parameters:'");
                }
            }
        }
        if (t.sparkline() != null && kind != Kind.KPI) {
            throw invalid(file, 0, where + ": only kpi tiles have a sparkline", "remove 'sparkline'");
        }
        int width = t.width() == null ? (kind == Kind.KPI ? 1 : 2) : t.width();
        if (width < 1 || width > 4) {
            throw invalid(file, 0, where + ": width " + width + " is out of range", "use 1 to 4 (columns of the grid)");
        }
        return new Tile(t.id(), t.title() == null ? t.id() : t.title(), kind, t.view(), measures, dimensions, filters,
                t.order() == null ? List.of() : t.order(), Optional.ofNullable(t.limit()),
                Optional.ofNullable(t.sparkline()), t.totals() != null && t.totals(), width);
    }

    static String substitute(String filter, Map<String, String> parameters) {
        Matcher m = PARAM.matcher(filter);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(parameters.get(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String kinds() {
        return Arrays.stream(Kind.values()).map(Kind::key).collect(Collectors.joining(", "));
    }

    private static int line(JsonLocation l) {
        return l == null ? 0 : l.getLineNr();
    }

    static ReportsException invalid(String file, int line, String problem, String hint) {
        return new ReportsException(ReportsErrorCode.DASHBOARD_INVALID, "Cannot read dashboard " + file
                + (line > 0 ? ":" + line : "") + ": " + problem + " (" + hint + ")");
    }
}
