package org.wwi.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code _wwi_sample.json}: marks a folder as a sample-data generation (so that a later
 * generation may replace it) and records the spec and the rows per dataset. Written first with
 * {@code "complete": false}, rewritten at the end. Holds nothing that differs between two
 * generations of the same spec (no path, no time).
 */
final class GenerationMarker {
    static final String FILE_NAME = "_wwi_sample.json";
    static final String GENERATOR = "wwi-sample-data";
    private static final String SIGNATURE = "\"generator\": \"" + GENERATOR + "\"";

    private GenerationMarker() {
    }

    static void writeStarted(Path out, WeblogSpec spec) throws IOException {
        write(out, json(spec, null, 0));
    }

    static void writeComplete(Path out, WeblogSpec spec, Map<String, Long> rowsPerDataset, long dirtyRawRows)
            throws IOException {
        write(out, json(spec, rowsPerDataset, dirtyRawRows));
    }

    /** Whether {@code folder} holds a marker written by this generator. */
    static boolean isPresent(Path folder) {
        Path marker = folder.resolve(FILE_NAME);
        if (!Files.isRegularFile(marker)) {
            return false;
        }
        try {
            return Files.readString(marker, StandardCharsets.UTF_8).contains(SIGNATURE);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static String json(WeblogSpec spec, Map<String, Long> rowsPerDataset, long dirtyRawRows) {
        StringBuilder json = new StringBuilder("{\n")
                .append("  ").append(SIGNATURE).append(",\n")
                .append("  \"formatVersion\": 1,\n")
                .append("  \"complete\": ").append(rowsPerDataset != null).append(",\n")
                .append("  \"spec\": {\n")
                .append("    \"rows\": ").append(spec.rows()).append(",\n")
                .append("    \"seed\": ").append(spec.seed()).append(",\n")
                .append("    \"startDate\": ").append(Json.quote(spec.startDate().toString())).append(",\n")
                .append("    \"days\": ").append(spec.days()).append(",\n")
                .append("    \"users\": ").append(spec.users()).append(",\n")
                .append("    \"products\": ").append(spec.products()).append("\n")
                .append("  }");
        if (rowsPerDataset != null) {
            json.append(",\n  \"dirtyRawRows\": ").append(dirtyRawRows).append(",\n  \"rowsPerDataset\": {");
            String separator = "\n";
            for (Map.Entry<String, Long> entry : rowsPerDataset.entrySet()) {
                json.append(separator).append("    ").append(Json.quote(entry.getKey())).append(": ")
                        .append(entry.getValue());
                separator = ",\n";
            }
            json.append("\n  }");
        }
        return json.append("\n}\n").toString();
    }

    private static void write(Path out, String json) throws IOException {
        Files.writeString(out.resolve(FILE_NAME), json, StandardCharsets.UTF_8);
    }
}
