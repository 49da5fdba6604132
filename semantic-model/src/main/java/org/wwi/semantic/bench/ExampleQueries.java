package org.wwi.semantic.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The example queries of {@code semantic-model/examples/queries.yaml}: semantic SQL as a BI tool
 * sends it, with hand-written SQL computing the same on the warehouse. The acceptance test and
 * {@code wwi bench semantic} use them.
 */
public final class ExampleQueries {
    public static final String FILE = "semantic-model/examples/queries.yaml";

    /**
     * @param name        short name
     * @param description what it shows
     * @param rollup      the rollup that answers it once built, or empty
     * @param sql         the query over the semantic views
     * @param direct      the same, hand-written over the warehouse tables
     */
    public record Example(String name, String description, Optional<String> rollup, String sql, String direct) {
        public Example {
            requireNonNull(name, "name is null");
            requireNonNull(sql, "sql is null");
            requireNonNull(direct, "direct is null");
        }
    }

    private ExampleQueries() {
    }

    /** The examples of a project, or the ones shipped in the jar. */
    public static List<Example> forProject(Path home) {
        Path f = home.resolve(FILE);
        try {
            if (Files.isRegularFile(f)) {
                try (InputStream in = Files.newInputStream(f)) {
                    return read(in);
                }
            }
            try (InputStream in = ExampleQueries.class.getClassLoader()
                    .getResourceAsStream("wwi/semantic-model/examples/queries.yaml")) {
                if (in == null) {
                    throw new IllegalStateException("Cannot find the example queries: " + f + " (nor in the jar)");
                }
                return read(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the example queries: " + f + ": " + e.getMessage(), e);
        }
    }

    static List<Example> read(InputStream in) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
        List<Example> out = new ArrayList<>();
        for (JsonNode q : root.path("queries")) {
            String rollup = q.path("rollup").asText("");
            out.add(new Example(q.path("name").asText(), q.path("description").asText(""),
                    rollup.isBlank() ? Optional.empty() : Optional.of(rollup), q.path("sql").asText(),
                    q.path("direct").asText()));
        }
        return List.copyOf(out);
    }
}
