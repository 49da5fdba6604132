package org.wwi.semantic;

import org.wwi.platform.yaml.YamlErrors;
import org.wwi.platform.yaml.YamlNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Configuration of the JDBC server ({@code wwi serve}), read from {@code semantic-model/serve.yaml}:
 * where it listens, TLS, per-query limits, and its users with hashed passwords, roles and the
 * attributes that row filters use.
 *
 * @param host         interface to listen on ({@code localhost} by default; {@code 0.0.0.0} for all)
 * @param port         TCP port (0 picks a free one)
 * @param queryTimeout longest a query may run in PostgreSQL
 * @param maxRows      most rows a query may return (more is an error, not a silent cut)
 * @param tls          keystore for HTTPS, or empty for plain HTTP
 * @param users        users by name
 */
public record ServeConfig(String host, int port, Duration queryTimeout, int maxRows, Optional<Tls> tls,
                          Map<String, User> users) {
    public static final String FILE = "semantic-model/serve.yaml";
    public static final int DEFAULT_PORT = 8765;
    private static final YamlErrors ERRORS = YamlErrors.of("Cannot read server configuration:",
            (message, cause) -> new SemanticException(SemanticErrorCode.CONFIG_INVALID, message, cause));

    public ServeConfig {
        requireNonNull(host, "host is null");
        requireNonNull(queryTimeout, "queryTimeout is null");
        requireNonNull(tls, "tls is null");
        users = Collections.unmodifiableMap(new LinkedHashMap<>(users)); // file order
        if (port < 0 || port > 65535) {
            throw new SemanticException(SemanticErrorCode.CONFIG_INVALID, "Cannot listen on port " + port
                    + " (use 1-65535, or 0 for any free port)");
        }
        if (maxRows < 1) {
            throw new SemanticException(SemanticErrorCode.CONFIG_INVALID, "Cannot use max_rows " + maxRows
                    + " (set max_rows in " + FILE + " to the most rows a query may return, at least 1)");
        }
        if (queryTimeout.isZero() || queryTimeout.isNegative()) {
            throw new SemanticException(SemanticErrorCode.CONFIG_INVALID, "Cannot use query_timeout_seconds "
                    + queryTimeout.toSeconds() + " (set query_timeout_seconds in " + FILE
                    + " to how long PostgreSQL may run one query, at least 1)");
        }
    }

    /**
     * A user of the server.
     *
     * @param name         login name
     * @param passwordHash {@link PasswordHash} of the password
     * @param role         the model role whose views and row filter apply
     * @param attributes   values for {@code {user.x}} in row filters, e.g. region
     */
    public record User(String name, String passwordHash, String role, Map<String, String> attributes) {
        public User {
            requireNonNull(name, "name is null");
            requireNonNull(passwordHash, "passwordHash is null");
            requireNonNull(role, "role is null");
            attributes = Map.copyOf(attributes);
        }

        Principal principal() {
            return Principal.of(name, role, attributes);
        }

        @Override
        public String toString() {
            return "User(" + name + ", role " + role + ")";
        }
    }

    /**
     * HTTPS settings.
     *
     * @param keystore         PKCS12 or JKS keystore with the server's key and certificate
     * @param keystorePassword its password, from the environment variable named in serve.yaml
     */
    public record Tls(Path keystore, char[] keystorePassword) {
        public Tls {
            requireNonNull(keystore, "keystore is null");
            requireNonNull(keystorePassword, "keystorePassword is null");
        }

        @Override
        public String toString() {
            return "Tls(" + keystore + ")";
        }
    }

    /** Defaults: localhost:8765, 60 s per query, 100,000 rows, no users. */
    public static ServeConfig defaults() {
        return new ServeConfig("localhost", DEFAULT_PORT, Duration.ofSeconds(60), 100_000, Optional.empty(), Map.of());
    }

    public ServeConfig withPort(int p) {
        return new ServeConfig(host, p, queryTimeout, maxRows, tls, users);
    }

    public ServeConfig withHost(String h) {
        return new ServeConfig(h, port, queryTimeout, maxRows, tls, users);
    }

    public ServeConfig withLimits(Duration timeout, int rows) {
        return new ServeConfig(host, port, timeout, rows, tls, users);
    }

    public ServeConfig withUsers(Map<String, User> u) {
        return new ServeConfig(host, port, queryTimeout, maxRows, tls, u);
    }

    public ServeConfig withTls(Optional<Tls> t) {
        return new ServeConfig(host, port, queryTimeout, maxRows, t, users);
    }

    /** Reads {@code serve.yaml}; {@code env} resolves {@code keystore_password_env}. */
    public static ServeConfig load(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SemanticException(SemanticErrorCode.CONFIG_INVALID, "Cannot read server configuration: " + file
                    + ": " + e.getMessage(), e);
        }
        String display = file.getParent() != null && file.getParent().getFileName() != null
                ? file.getParent().getFileName() + "/" + file.getFileName() : file.toString();
        return parse(display, text, file.toAbsolutePath().getParent(), env);
    }

    static ServeConfig parse(String file, String text, Path baseDir, Map<String, String> env) {
        YamlNode root = YamlNode.parse(file, text, ERRORS);
        ServeConfig d = defaults();
        if (root.isMissing()) {
            return d;
        }
        root.allowKeys(List.of("host", "port", "query_timeout_seconds", "max_rows", "tls", "users"));
        Optional<Tls> tls = Optional.empty();
        YamlNode t = root.get("tls");
        if (!t.isMissing()) {
            t.allowKeys(List.of("keystore", "keystore_password_env"));
            String var = t.get("keystore_password_env").text();
            String pw = env.get(var);
            if (pw == null || pw.isEmpty()) {
                throw t.get("keystore_password_env").error("environment variable " + var + " is not set",
                        "export " + var + " with the keystore password");
            }
            Path ks = baseDir == null ? Path.of(t.get("keystore").text()) : baseDir.resolve(t.get("keystore").text());
            tls = Optional.of(new Tls(ks.normalize(), pw.toCharArray()));
        }
        Map<String, User> users = new LinkedHashMap<>();
        root.get("users").entries().forEach((name, u) -> {
            u.allowKeys(List.of("password_hash", "role", "attributes"));
            String hash = u.get("password_hash").text();
            try {
                PasswordHash.check(hash, "user " + name);
            } catch (SemanticException e) {
                throw u.get("password_hash").error("not a password hash", "make one with wwi serve "
                        + "--hash-password and paste it; never write the password itself");
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            u.get("attributes").entries().forEach((k, v) -> attributes.put(k, v.text()));
            users.put(name, new User(name, hash, u.get("role").text(), attributes));
        });
        return new ServeConfig(root.get("host").text(d.host()), (int) root.get("port").number(d.port()),
                Duration.ofSeconds(root.get("query_timeout_seconds").number(d.queryTimeout().toSeconds())),
                (int) root.get("max_rows").number(d.maxRows()), tls, users);
    }

    /** Checks users against the model: their roles exist and they have the attributes row filters use. */
    void check(SemanticModel model) {
        for (User u : users.values()) {
            Catalog.RoleModel r = model.catalog.roles.get(u.role());
            if (r == null) {
                throw new SemanticException(SemanticErrorCode.CONFIG_INVALID, "Cannot serve user " + u.name()
                        + ": role '" + u.role() + "' is not in the model (" + Catalog.hint(u.role(),
                        model.catalog.roles.keySet(), "roles: " + model.catalog.roles.keySet()) + ")");
            }
            for (String a : r.filterAttributes()) {
                if (!u.attributes().containsKey(a)) {
                    throw new SemanticException(SemanticErrorCode.CONFIG_INVALID, "Cannot serve user " + u.name()
                            + ": role " + r.name() + " filters rows on {user." + a + "} but the user has no attribute '"
                            + a + "' (add attributes: {" + a + ": ...} to the user in serve.yaml)");
                }
            }
        }
    }
}
