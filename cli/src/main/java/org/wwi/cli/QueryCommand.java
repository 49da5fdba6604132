package org.wwi.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.wwi.platform.Database;
import org.wwi.semantic.Principal;
import org.wwi.semantic.QueryResult;
import org.wwi.semantic.SemanticLayer;
import org.wwi.semantic.SemanticModel;
import org.wwi.semantic.SemanticQuery;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code wwi query}: the semantic layer from the command line, by members or by SQL over the
 * views, with the same model, planner, rollups and roles as {@code wwi serve}.
 */
@Command(name = "query", description = {
        "Query the semantic layer by measures and dimensions (or SQL over its views).",
        "For example:",
        "  wwi query --measures revenue,orders --dimensions product.category,date.month --filter 'channel.name = web'",
        "Text filters ignore case. Members are named as in the view (revenue, product.category) or by column name."})
final class QueryCommand implements Callable<Integer> {
    enum OutputFormat { table, csv, json }

    @ParentCommand
    WwiCommand root;

    @Option(names = "--measures", split = ",", paramLabel = "M", description = "measures, e.g. revenue,orders")
    List<String> measures = new ArrayList<>();

    @Option(names = "--dimensions", split = ",", paramLabel = "D", description = "dimensions to group by, e.g. "
            + "product.category,date.month")
    List<String> dimensions = new ArrayList<>();

    @Option(names = "--filter", paramLabel = "COND", description = "member operator value (repeatable): =, <>, <, "
            + "<=, >, >=, in (a, b), not in (...), between a and b, contains x; e.g. 'date.month >= 2026-03'")
    List<String> filters = new ArrayList<>();

    @Option(names = "--segment", paramLabel = "S", description = "a segment (named filter) that must hold, repeatable")
    List<String> segments = new ArrayList<>();

    @Option(names = "--order", paramLabel = "ORDER", description = "sort key, e.g. 'revenue desc' (repeatable)")
    List<String> order = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "N", description = "at most N rows")
    Integer limit;

    @Option(names = "--view", paramLabel = "VIEW", description = "the view (default: the first that has every member)")
    String view;

    @Option(names = "--sql", paramLabel = "SQL", description = "SQL over the views instead of members, e.g. "
            + "\"select channel_name, measure(revenue) from sales group by 1\"")
    String sql;

    @CommandLine.Mixin
    PrincipalOptions as = new PrincipalOptions();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (formatted), csv or json (raw values); default ${DEFAULT-VALUE}")
    OutputFormat format;

    @Option(names = "--explain", description = "print the plan: Calcite's plan, the PostgreSQL statement, rollups used")
    boolean explain;

    @Option(names = "--no-rollups", description = "answer from the detail tables even when a rollup covers the query")
    boolean noRollups;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (sql == null && measures.isEmpty() && dimensions.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Name --measures and/or --dimensions, "
                    + "or pass --sql");
        }
        Principal principal = principal();
        try (Database db = root.openDatabase();
             SemanticLayer layer = SemanticLayer.open(db, SemanticModel.forProject(root.home()),
                     SemanticLayer.Options.defaults().withLogSource("cli"))) {
            String text = sql != null ? sql : null;
            if (explain) {
                root.out().println(layer.explain(text != null ? text : layer.sqlOf(query(), principal), principal,
                        !noRollups));
                return 0;
            }
            QueryResult r = text != null ? layer.sql(text, principal, !noRollups)
                    : layer.query(query(), principal, !noRollups);
            print(r, root.out());
            root.err().printf(Locale.ROOT, "%,d row%s in %d ms from %s%n", r.rows().size(), r.rows().size() == 1 ? ""
                    : "s", r.elapsed().toMillis(), r.rollups().isEmpty() ? "the detail tables"
                    : "rollup " + String.join(", ", r.rollups()));
            return 0;
        }
    }

    private SemanticQuery query() {
        SemanticQuery q = new SemanticQuery(Optional.ofNullable(view), measures, dimensions,
                filters.stream().map(SemanticQuery.Filter::parse).toList(), segments,
                order.stream().map(SemanticQuery.Order::parse).toList(),
                limit == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(limit));
        return q;
    }

    private Principal principal() {
        return as.principal(root.home(), spec);
    }

    private void print(QueryResult r, PrintWriter out) {
        switch (format) {
            case table -> {
                TextTable t = new TextTable(r.columns().stream().map(QueryResult.Column::name).toArray(String[]::new));
                for (int i = 0; i < r.rows().size(); i++) {
                    Object[] cells = new Object[r.columns().size()];
                    for (int j = 0; j < cells.length; j++) {
                        cells[j] = r.formatted(i, j);
                    }
                    t.row(cells);
                }
                t.print(out);
            }
            case csv -> {
                out.println(String.join(",", r.columns().stream().map(c -> csv(c.name())).toList()));
                for (List<Object> row : r.rows()) {
                    out.println(String.join(",", row.stream().map(v -> v == null ? "" : csv(plain(v))).toList()));
                }
                out.flush();
            }
            case json -> {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (List<Object> row : r.rows()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    for (int j = 0; j < row.size(); j++) {
                        Object v = row.get(j);
                        m.put(r.columns().get(j).name(), v instanceof Number || v instanceof Boolean || v == null
                                ? v : String.valueOf(v));
                    }
                    rows.add(m);
                }
                try {
                    out.println(new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                            .writerWithDefaultPrettyPrinter().writeValueAsString(rows));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                out.flush();
            }
        }
    }

    private static String plain(Object v) {
        return v instanceof BigDecimal b ? b.toPlainString() : String.valueOf(v);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
