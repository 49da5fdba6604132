package org.wwi.platform;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * The validated configuration of one {@code wwi} invocation.
 *
 * @param home    the project folder: holds {@code migrations/}, {@code external-tables/}, … and {@code .wwi/}
 * @param db      where the warehouse lives
 * @param source  where each setting came from, for {@code wwi config}
 */
public record WwiConfig(Path home, DbConfig db, java.util.Map<String, String> source) {

    public WwiConfig {
        requireNonNull(home, "home is null");
        requireNonNull(db, "db is null");
        source = java.util.Map.copyOf(requireNonNull(source, "source is null"));
        home = home.toAbsolutePath().normalize();
    }

    /** The working folder for state kept by WWI ({@code home/.wwi}). */
    public Path stateDir() {
        return home.resolve(".wwi");
    }

    /** The default sample lake ({@code home/.wwi/lake}). */
    public Path lakeDir() {
        return stateDir().resolve("lake");
    }
}
