package org.wwi.platform.yaml;

import org.wwi.platform.WwiException;

import static java.util.Objects.requireNonNull;

/**
 * A place in a YAML file: the file as shown to the user, the line (0 when unknown) and the path
 * inside the document, e.g. {@code cubes.sales.measures.revenue}. It outlives the parsed document,
 * so that checks made later (a reference to an unknown name) can still say where the problem is.
 *
 * @param file   the file as shown in messages
 * @param line   1-based line, or 0 when unknown
 * @param path   dotted path inside the document, empty for the root
 * @param errors how errors at this place read and what they throw
 */
public record Location(String file, int line, String path, YamlErrors errors) {
    public Location {
        requireNonNull(file, "file is null");
        requireNonNull(path, "path is null");
        requireNonNull(errors, "errors is null");
    }

    /** The same line, one key deeper: {@code cubes.sales} then {@code cubes.sales.sql}. */
    public Location child(String key) {
        return new Location(file, line, path.isEmpty() ? key : path + "." + key, errors);
    }

    /** An error here: "HEADING FILE:LINE (PATH): PROBLEM (HINT)". */
    public WwiException error(String problem, String hint) {
        return errors.error(errors.heading() + " " + this + ": " + problem + " (" + hint + ")", null);
    }

    /** {@code FILE:LINE (PATH)}, leaving out an unknown line and an empty path. */
    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + (path.isEmpty() ? "" : " (" + path + ")");
    }
}
