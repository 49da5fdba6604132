package org.wwi.semantic;

import org.wwi.platform.yaml.Location;
import org.wwi.platform.yaml.YamlErrors;
import org.wwi.platform.yaml.YamlNode;
import org.wwi.semantic.ModelDef.Cube;
import org.wwi.semantic.ModelDef.Dimension;
import org.wwi.semantic.ModelDef.DimensionType;
import org.wwi.semantic.ModelDef.Include;
import org.wwi.semantic.ModelDef.Join;
import org.wwi.semantic.ModelDef.Measure;
import org.wwi.semantic.ModelDef.MeasureType;
import org.wwi.semantic.ModelDef.Model;
import org.wwi.semantic.ModelDef.Relationship;
import org.wwi.semantic.ModelDef.Role;
import org.wwi.semantic.ModelDef.Rollup;
import org.wwi.semantic.ModelDef.Segment;
import org.wwi.semantic.ModelDef.View;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the model files ({@code *.yaml}) of a folder into a {@link Model}. Each file may hold any
 * of the sections {@code cubes}, {@code views}, {@code roles} and {@code rollups}; names are
 * unique across files. Unknown keys are errors that suggest the intended key.
 */
final class ModelReader {
    static final String CLASSPATH_FOLDER = "wwi/semantic-model/models";
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    /** Errors in a model file: "Cannot load semantic model: FILE:LINE (PATH): PROBLEM (FIX)". */
    static final YamlErrors ERRORS = new YamlErrors("Cannot load semantic model:", "Cannot read semantic model:",
            (message, cause) -> new SemanticException(SemanticErrorCode.MODEL_INVALID, message, cause));

    private final Map<String, Cube> cubes = new LinkedHashMap<>();
    private final Map<String, View> views = new LinkedHashMap<>();
    private final Map<String, Role> roles = new LinkedHashMap<>();
    private final Map<String, Rollup> rollups = new LinkedHashMap<>();
    private final Map<String, Location> seen = new LinkedHashMap<>();
    private final List<String> files = new ArrayList<>();

    /** Reads every {@code *.yaml} / {@code *.yml} file of {@code dir}, in name order. */
    static Model readFolder(Path dir, String displayPrefix) {
        if (!Files.isDirectory(dir)) {
            throw new SemanticException(SemanticErrorCode.MODEL_UNREADABLE, "Cannot read semantic model: " + dir
                    + " is not a folder (create it with at least one model file, e.g. models/wwi.yaml)");
        }
        List<Path> paths;
        try (Stream<Path> s = Files.list(dir)) {
            paths = s.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new SemanticException(SemanticErrorCode.MODEL_UNREADABLE, "Cannot read semantic model folder: "
                    + dir + ": " + e.getMessage(), e);
        }
        if (paths.isEmpty()) {
            throw new SemanticException(SemanticErrorCode.MODEL_UNREADABLE, "Cannot read semantic model: no *.yaml "
                    + "file in " + dir + " (add the model files there)");
        }
        ModelReader reader = new ModelReader();
        for (Path p : paths) {
            String text;
            try {
                text = Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new SemanticException(SemanticErrorCode.MODEL_UNREADABLE, "Cannot read semantic model file: "
                        + p + ": " + e.getMessage(), e);
            }
            reader.read(displayPrefix + p.getFileName(), text);
        }
        return reader.model();
    }

    /** Reads the model shipped in the jar ({@code wwi/semantic-model/models}). */
    static Model readShipped() {
        URL url = ModelReader.class.getClassLoader().getResource(CLASSPATH_FOLDER);
        if (url == null) {
            throw new SemanticException(SemanticErrorCode.MODEL_UNREADABLE, "Cannot read the shipped semantic model: "
                    + CLASSPATH_FOLDER + " is not on the classpath (rebuild the semantic-model module)");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                }
                return readFolder(fs.getPath(CLASSPATH_FOLDER), "(jar) models/");
            }
            return readFolder(Path.of(uri), "(jar) models/");
        } catch (URISyntaxException | IOException e) {
            throw new SemanticException(SemanticErrorCode.MODEL_UNREADABLE, "Cannot read the shipped semantic model: "
                    + e.getMessage(), e);
        }
    }

    /** Reads one document (tests, tools). */
    static Model readText(String file, String text) {
        ModelReader reader = new ModelReader();
        reader.read(file, text);
        return reader.model();
    }

    Model model() {
        return new Model(cubes, views, roles, rollups, files);
    }

    void read(String file, String text) {
        files.add(file);
        YamlNode root = YamlNode.parse(file, text, ERRORS);
        if (root.isMissing()) {
            return;
        }
        root.allowKeys(List.of("cubes", "views", "roles", "rollups"));
        root.get("cubes").entries().forEach((name, n) -> put(cubes, "cube", name, n, cube(name, n)));
        root.get("views").entries().forEach((name, n) -> put(views, "view", name, n, view(name, n)));
        root.get("roles").entries().forEach((name, n) -> put(roles, "role", name, n, role(name, n)));
        root.get("rollups").entries().forEach((name, n) -> put(rollups, "rollup", name, n, rollup(name, n)));
    }

    private <T> void put(Map<String, T> map, String what, String name, YamlNode n, T value) {
        checkName(name, n);
        Location previous = seen.putIfAbsent(what + ":" + name, n.location());
        if (previous != null) {
            throw n.error(what + " '" + name + "' is already defined at " + previous, "rename one of them");
        }
        map.put(name, value);
    }

    private static void checkName(String name, YamlNode n) {
        if (!NAME.matcher(name).matches()) {
            throw n.error("'" + name + "' is not a valid name", "use lower case letters, digits and _, starting "
                    + "with a letter, e.g. " + name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_"));
        }
    }

    private static Cube cube(String name, YamlNode n) {
        n.allowKeys(List.of("description", "sql_table", "sql", "high_water_mark", "joins", "dimensions",
                "measures", "segments", "hierarchies"));
        Optional<String> table = n.get("sql_table").optionalText();
        Optional<String> sql = n.get("sql").optionalText();
        if (table.isPresent() == sql.isPresent()) {
            throw n.error("a cube needs exactly one of sql_table or sql", "write sql_table: dw.fact_sales, or "
                    + "sql: select ... for a cube over a query");
        }
        if (table.isPresent() && !table.get().matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
            throw n.get("sql_table").error("'" + table.get() + "' is not a table name",
                    "write schema.table, e.g. dw.fact_sales");
        }
        Map<String, Join> joins = new LinkedHashMap<>();
        n.get("joins").entries().forEach((target, j) -> {
            checkName(target, j);
            j.allowKeys(List.of("relationship", "sql"));
            joins.put(target, new Join(target, j.get("relationship").enumValue(Relationship.class, "relationship"),
                    j.get("sql").text(), j.location()));
        });
        Map<String, Dimension> dims = new LinkedHashMap<>();
        n.get("dimensions").entries().forEach((d, dn) -> {
            checkName(d, dn);
            dn.allowKeys(List.of("sql", "type", "description", "primary_key", "format"));
            dims.put(d, new Dimension(d, dn.get("type").isMissing() ? DimensionType.STRING
                    : dn.get("type").enumValue(DimensionType.class, "dimension type"),
                    dn.get("sql").text(), dn.get("description").text(""), dn.get("primary_key").bool(false),
                    dn.get("format").isMissing() ? Optional.empty()
                            : Optional.of(dn.get("format").enumValue(Format.class, "format")),
                    dn.location()));
        });
        Map<String, Measure> measures = new LinkedHashMap<>();
        n.get("measures").entries().forEach((m, mn) -> {
            checkName(m, mn);
            mn.allowKeys(List.of("sql", "type", "filters", "description", "format", "decimals"));
            MeasureType type = mn.get("type").enumValue(MeasureType.class, "measure type");
            Format format = mn.get("format").isMissing()
                    ? (type == MeasureType.NUMBER || type == MeasureType.AVG ? Format.NUMBER : Format.NUMBER)
                    : mn.get("format").enumValue(Format.class, "format");
            measures.put(m, new Measure(m, type, mn.get("sql").optionalText(),
                    mn.get("filters").texts(), mn.get("description").text(""),
                    format, (int) mn.get("decimals").number(-1), mn.location()));
        });
        Map<String, Segment> segments = new LinkedHashMap<>();
        n.get("segments").entries().forEach((s, sn) -> {
            checkName(s, sn);
            sn.allowKeys(List.of("sql", "description"));
            segments.put(s, new Segment(s, sn.get("sql").text(), sn.get("description").text(""), sn.location()));
        });
        Map<String, List<String>> hierarchies = new LinkedHashMap<>();
        n.get("hierarchies").entries().forEach((h, hn) -> {
            checkName(h, hn);
            hierarchies.put(h, hn.texts());
        });
        return new Cube(name, table, sql, n.get("description").text(""), n.get("high_water_mark").optionalText(),
                joins, dims, measures, segments, hierarchies, n.location());
    }

    private static View view(String name, YamlNode n) {
        n.allowKeys(List.of("description", "cube", "include"));
        List<Include> includes = new ArrayList<>();
        for (YamlNode i : n.get("include").items()) {
            if (i.isMap()) {
                i.allowKeys(List.of("member", "as"));
                Optional<String> alias = i.get("as").optionalText();
                alias.ifPresent(a -> checkName(a, i.get("as")));
                includes.add(new Include(i.get("member").text(), alias, i.location()));
            } else {
                includes.add(new Include(i.text(), Optional.empty(), i.location()));
            }
        }
        if (includes.isEmpty()) {
            throw n.get("include").error("a view needs members", "list them under include:, e.g. [revenue, "
                    + "product.category, date.*]");
        }
        return new View(name, n.get("cube").text(), n.get("description").text(""), includes, n.location());
    }

    private static Role role(String name, YamlNode n) {
        n.allowKeys(List.of("description", "views", "hidden", "row_filter"));
        List<String> views = n.get("views").texts();
        if (views.isEmpty()) {
            throw n.get("views").error("a role needs the views it may see", "write views: [sales] or views: \"*\"");
        }
        return new Role(name, n.get("description").text(""), views, n.get("hidden").texts(),
                n.get("row_filter").optionalText(), n.location());
    }

    private static Rollup rollup(String name, YamlNode n) {
        n.allowKeys(List.of("description", "cube", "measures", "dimensions", "time_grain", "allow_stale"));
        List<String> measures = n.get("measures").texts();
        if (measures.isEmpty()) {
            throw n.get("measures").error("a rollup needs measures", "list the measures it pre-aggregates");
        }
        return new Rollup(name, n.get("cube").text(), n.get("description").text(""), measures,
                n.get("dimensions").texts(), n.get("time_grain").optionalText(), n.get("allow_stale").bool(false),
                n.location());
    }
}
