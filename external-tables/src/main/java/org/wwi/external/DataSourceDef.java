package org.wwi.external;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@code CREATE EXTERNAL DATA SOURCE name WITH (TYPE = HADOOP|BLOB_STORAGE, LOCATION = '…', CREDENTIAL = c)}.
 *
 * @param name       as declared
 * @param type       {@code HADOOP} or {@code BLOB_STORAGE} (upper case)
 * @param location   absolute URI with one of {@link #SCHEMES}: {@code file:///lake},
 *                   {@code abfss://container@account.dfs.core.windows.net/path}, {@code wasbs://…}
 * @param credential the database scoped credential used to reach it (secret through {@link Catalog#secret})
 */
public record DataSourceDef(String name, String type, URI location, Optional<String> credential) {

    /** Types of data source. */
    public static final List<String> TYPES = List.of("HADOOP", "BLOB_STORAGE");

    /** LOCATION schemes storage supports (lower case). */
    public static final List<String> SCHEMES = List.of("file", "abfs", "abfss", "wasb", "wasbs");

    public DataSourceDef {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(location, "location is null");
        requireNonNull(credential, "credential is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("data source name is blank");
        }
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("TYPE must be one of " + TYPES + ", not " + type);
        }
        if (location.getScheme() == null || !SCHEMES.contains(location.getScheme().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("LOCATION must be an absolute URI with a scheme of " + SCHEMES
                    + ", not " + location);
        }
    }

    /** The LOCATION's scheme in lower case: {@code file}, {@code abfss}, … */
    public String scheme() {
        return location.getScheme().toLowerCase(Locale.ROOT);
    }
}
