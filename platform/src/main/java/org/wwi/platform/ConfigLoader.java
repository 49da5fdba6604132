package org.wwi.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Builds a {@link WwiConfig} from, highest precedence first: command-line options, environment
 * variables, {@code wwi.yaml} in the project folder (or {@code --config FILE}), defaults.
 */
public final class ConfigLoader {

    /** One setting: its key in {@code wwi.yaml} and its environment variable. */
    public record Setting(String key, String env, String defaultValue, String description) {
    }

    /** Every setting, in the order the README documents them. */
    public static final List<Setting> SETTINGS = List.of(
            new Setting("db.url", "WWI_DB_URL", "",
                    "JDBC URL of an external PostgreSQL 14+; empty means the embedded server"),
            new Setting("db.user", "WWI_DB_USER", "", "user for db.url"),
            new Setting("db.password", "WWI_DB_PASSWORD", "", "password for db.url (never printed)"),
            new Setting("db.embedded.port", "WWI_DB_PORT", String.valueOf(DbConfig.DEFAULT_EMBEDDED_PORT),
                    "port of the embedded PostgreSQL on localhost"),
            new Setting("db.embedded.dir", "WWI_DB_DIR", ".wwi/pg",
                    "folder of the embedded PostgreSQL (relative to the project folder)"),
            new Setting("db.database", "WWI_DB_NAME", DbConfig.DEFAULT_DATABASE,
                    "database name on the embedded server"));

    private ConfigLoader() {
    }

    /**
     * @param home       the project folder
     * @param configFile an explicit config file, or empty for {@code home/wwi.yaml} when present
     * @param env        environment variables
     * @param options    command-line settings by key (e.g. {@code db.url})
     */
    public static WwiConfig load(Path home, Optional<Path> configFile, Map<String, String> env,
                                 Map<String, String> options) {
        requireNonNull(home, "home is null");
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> source = new LinkedHashMap<>();
        for (Setting s : SETTINGS) {
            values.put(s.key(), s.defaultValue());
            source.put(s.key(), "default");
        }
        Path file = configFile.orElse(home.resolve("wwi.yaml"));
        if (configFile.isPresent() && !Files.isRegularFile(file)) {
            throw new PlatformException(PlatformErrorCode.CONFIG_UNREADABLE,
                    "Cannot read configuration: " + file + " (no such file)");
        }
        if (Files.isRegularFile(file)) {
            readYaml(file).forEach((k, v) -> {
                values.put(k, v);
                source.put(k, file.getFileName().toString());
            });
        }
        for (Setting s : SETTINGS) {
            String v = env.get(s.env());
            if (v != null && !v.isBlank()) {
                values.put(s.key(), v);
                source.put(s.key(), "env " + s.env());
            }
        }
        options.forEach((k, v) -> {
            if (!values.containsKey(k)) {
                throw new PlatformException(PlatformErrorCode.CONFIG_INVALID, "Unknown setting: " + k);
            }
            if (v != null) {
                values.put(k, v);
                source.put(k, "command line");
            }
        });

        int port;
        try {
            port = Integer.parseInt(values.get("db.embedded.port").trim());
        } catch (NumberFormatException e) {
            throw new PlatformException(PlatformErrorCode.CONFIG_INVALID, "Cannot use db.embedded.port: '"
                    + values.get("db.embedded.port") + "' from " + source.get("db.embedded.port")
                    + " (expected a port number)");
        }
        DbConfig db = new DbConfig(
                nonBlank(values.get("db.url")),
                nonBlank(values.get("db.user")),
                nonBlank(values.get("db.password")),
                port,
                home.resolve(values.get("db.embedded.dir")).toAbsolutePath().normalize(),
                values.get("db.database"));
        return new WwiConfig(home, db, source);
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }

    private static Map<String, String> readYaml(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new PlatformException(PlatformErrorCode.CONFIG_UNREADABLE,
                    "Cannot read configuration: " + file + ": " + e.getMessage().lines().findFirst().orElse("")
                            + " (fix the YAML syntax)", e);
        }
        Map<String, String> flat = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return flat;
        }
        flatten(file, "", root, flat);
        for (String key : flat.keySet()) {
            if (SETTINGS.stream().noneMatch(s -> s.key().equals(key))) {
                throw new PlatformException(PlatformErrorCode.CONFIG_INVALID, "Cannot read configuration: "
                        + file + ": unknown setting '" + key + "' (known: "
                        + SETTINGS.stream().map(Setting::key).toList() + ")");
            }
        }
        return flat;
    }

    private static void flatten(Path file, String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(file, prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isValueNode()) {
            out.put(prefix, node.isNull() ? "" : node.asText());
        } else {
            throw new PlatformException(PlatformErrorCode.CONFIG_INVALID, "Cannot read configuration: "
                    + file + ": setting '" + prefix + "' must be a single value, not a list");
        }
    }
}
