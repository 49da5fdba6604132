package org.wwi.platform;

import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where the warehouse lives.
 *
 * @param url           JDBC URL of an external PostgreSQL 14+, or empty for the embedded default
 * @param user          user for {@code url} (may also be inside the URL)
 * @param password      password for {@code url}; never printed
 * @param embeddedPort  TCP port of the embedded server on localhost
 * @param embeddedDir   folder of the embedded server (its data lives in {@code data/} below)
 * @param database      database name used on the embedded server
 */
public record DbConfig(
        Optional<String> url,
        Optional<String> user,
        Optional<String> password,
        int embeddedPort,
        Path embeddedDir,
        String database) {

    public static final int DEFAULT_EMBEDDED_PORT = 54329;
    public static final String DEFAULT_DATABASE = "wwi";

    public DbConfig {
        requireNonNull(url, "url is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        requireNonNull(embeddedDir, "embeddedDir is null");
        requireNonNull(database, "database is null");
        url.ifPresent(u -> {
            if (!u.startsWith("jdbc:postgresql:")) {
                throw new PlatformException(PlatformErrorCode.DB_URL_INVALID,
                        "Cannot use database URL: " + redact(u)
                                + " (expected jdbc:postgresql://host:port/database)");
            }
        });
        if (embeddedPort < 1 || embeddedPort > 65535) {
            throw new PlatformException(PlatformErrorCode.CONFIG_INVALID,
                    "Cannot use embedded port: " + embeddedPort + " (expected 1..65535)");
        }
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new PlatformException(PlatformErrorCode.CONFIG_INVALID,
                    "Cannot use database name: " + database + " (lower-case letters, digits and _ only)");
        }
    }

    /** The embedded default below {@code home/.wwi/pg}. */
    public static DbConfig embedded(Path home) {
        return new DbConfig(Optional.empty(), Optional.empty(), Optional.empty(),
                DEFAULT_EMBEDDED_PORT, home.resolve(".wwi").resolve("pg"), DEFAULT_DATABASE);
    }

    public boolean isEmbedded() {
        return url.isEmpty();
    }

    /** A JDBC URL with any password parameter removed, safe to print. */
    public static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return "DbConfig[url=" + url.map(DbConfig::redact).orElse("<embedded>") + ", user=" + user.orElse("")
                + ", password=" + (password.isPresent() ? "***" : "") + ", embeddedPort=" + embeddedPort
                + ", embeddedDir=" + embeddedDir + ", database=" + database + "]";
    }
}
