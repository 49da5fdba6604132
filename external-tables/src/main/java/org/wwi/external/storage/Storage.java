package org.wwi.external.storage;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.wwi.control.SecretStore;
import org.wwi.external.Catalog;
import org.wwi.external.DataSourceDef;
import org.wwi.external.ExternalColumn;
import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.ExternalTableDef;
import org.wwi.external.ResolvedTable;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The storage of one external data source through Hadoop's {@link FileSystem}: local files
 * ({@code file:}), Azure Blob ({@code wasb://}, {@code wasbs://}) and ADLS Gen2 ({@code abfs://},
 * {@code abfss://}) through hadoop-azure, with the data source's credential turned into Hadoop
 * settings by {@link AzureSettings}. Lists table folders following Spark's conventions (see
 * {@link #list}). Owns its file system instances (never Hadoop's shared cache, so two data
 * sources with different credentials never share one); close it when done.
 */
public final class Storage implements AutoCloseable {
    /** System properties with this prefix are copied into the Hadoop configuration (without the prefix). */
    public static final String HADOOP_PROPERTY_PREFIX = "wwi.hadoop.";

    private final DataSourceDef source;
    private final Configuration conf;
    private final Optional<String> secretText;
    private final Map<String, FileSystem> fileSystems = new HashMap<>();

    private Storage(DataSourceDef source, Configuration conf, Optional<String> secretText) {
        this.source = source;
        this.conf = conf;
        this.secretText = secretText;
    }

    /** Storage of a table's data source, with the credential it names (read from the catalog). */
    public static Storage open(ResolvedTable table, Catalog catalog) {
        requireNonNull(table, "table is null");
        requireNonNull(catalog, "catalog is null");
        Optional<SecretStore.Secret> secret = table.source().credential().map(catalog::secret);
        return open(table.source(), secret, Map.of());
    }

    /**
     * Storage of a data source.
     *
     * @param secret   the data source's credential, when it has one
     * @param settings extra Hadoop settings (they win over everything else)
     */
    public static Storage open(DataSourceDef source, Optional<SecretStore.Secret> secret, Map<String, String> settings) {
        requireNonNull(source, "source is null");
        requireNonNull(secret, "secret is null");
        requireNonNull(settings, "settings is null");
        Configuration conf = new Configuration();
        for (String scheme : DataSourceDef.SCHEMES) {
            conf.setBoolean("fs." + scheme + ".impl.disable.cache", true);
        }
        // no background metrics threads for wasb
        conf.setBoolean("fs.azure.skip.metrics", true);
        // abfss over the JDK's TLS: wildfly-openssl is excluded from the dependencies
        conf.set("fs.azure.ssl.channel.mode", "Default_JSSE");
        secret.ifPresent(s -> AzureSettings.apply(conf, source, s));
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith(HADOOP_PROPERTY_PREFIX))
                .forEach(k -> conf.set(k.substring(HADOOP_PROPERTY_PREFIX.length()), System.getProperty(k)));
        settings.forEach(conf::set);
        return new Storage(source, conf, secret.map(s -> new String(s.secret())));
    }

    /** The Hadoop configuration (holds credentials: never print it). */
    public Configuration configuration() {
        return conf;
    }

    public DataSourceDef source() {
        return source;
    }

    /** The file system serving {@code uri}, created on first use and closed with this storage. */
    public synchronized FileSystem fileSystem(URI uri) {
        String key = uri.getScheme() + "://" + (uri.getRawAuthority() == null ? "" : uri.getRawAuthority());
        FileSystem fs = fileSystems.get(key);
        if (fs == null) {
            try {
                fs = FileSystem.newInstance(uri, conf);
            } catch (IOException | RuntimeException e) {
                throw failure("connect to", uri.toString(), e);
            }
            fileSystems.put(key, fs);
        }
        return fs;
    }

    /**
     * Lists the data files of a table whose LOCATION resolves to {@code location}, as Spark reads a
     * folder: recursively; files and folders whose names start with {@code _} or {@code .} are skipped
     * ({@code _SUCCESS}, {@code .crc}, {@code _committed_*}, {@code _started_*}, {@code _temporary});
     * empty files are skipped; Hive {@code key=value} folders give the values of the table's
     * partition columns (matched case-insensitively, values unescaped); with
     * {@code REQUIRE_SUCCESS_FILE = TRUE}, a folder's files count only when the folder holds
     * {@code _SUCCESS}. A LOCATION naming a file lists that file.
     *
     * @throws ExternalException LOCATION_NOT_FOUND when the location does not exist, ACCESS_DENIED
     *                           when storage refuses the credential, STORAGE_FAILED otherwise
     */
    public Listing list(URI location, ExternalTableDef table) {
        requireNonNull(location, "location is null");
        requireNonNull(table, "table is null");
        FileSystem fs = fileSystem(location);
        Path root = new Path(location);
        List<ExternalColumn> partitionColumns = table.partitionColumns();
        List<FileRef> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try {
            FileStatus status;
            try {
                status = fs.getFileStatus(root);
            } catch (FileNotFoundException e) {
                throw new ExternalException(ExternalErrorCode.LOCATION_NOT_FOUND, "Cannot list external table "
                        + table.qualifiedName() + ": " + redact(location.toString()) + " does not exist (check the "
                        + "table's LOCATION and the LOCATION of data source " + source.name() + ")", e);
            }
            if (status.isFile()) {
                if (status.getLen() > 0) {
                    files.add(new FileRef(status.getPath().toString(), status.getLen(), status.getModificationTime(),
                            Map.of()));
                }
            } else {
                walk(fs, root, new LinkedHashMap<>(), partitionColumns, table.requireSuccessFile(), files, skipped);
            }
        } catch (ExternalException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw failure("list", location.toString(), e);
        }
        files.sort(Comparator.comparing(FileRef::path));
        return Listing.of(files, skipped);
    }

    private void walk(FileSystem fs, Path dir, Map<String, String> partitions, List<ExternalColumn> partitionColumns,
                      boolean requireSuccess, List<FileRef> files, List<String> skipped) throws IOException {
        FileStatus[] children = fs.listStatus(dir);
        boolean hasSuccess = false;
        List<FileRef> here = new ArrayList<>();
        for (FileStatus child : children) {
            String name = child.getPath().getName();
            if (name.equals("_SUCCESS")) {
                hasSuccess = true;
                continue;
            }
            if (hidden(name)) {
                continue;
            }
            if (child.isDirectory()) {
                Map<String, String> sub = new LinkedHashMap<>(partitions);
                int eq = name.indexOf('=');
                if (eq > 0) {
                    String key = name.substring(0, eq);
                    String value = unescape(name.substring(eq + 1));
                    partitionColumns.stream().filter(c -> c.hasName(key)).findFirst()
                            .ifPresent(c -> sub.put(c.name(), value));
                }
                walk(fs, child.getPath(), sub, partitionColumns, requireSuccess, files, skipped);
            } else if (child.getLen() > 0) {
                here.add(new FileRef(child.getPath().toString(), child.getLen(), child.getModificationTime(),
                        partitions));
            }
        }
        if (requireSuccess && !hasSuccess && !here.isEmpty()) {
            skipped.add(dir.toString());
            return;
        }
        files.addAll(here);
    }

    /** Spark's rule for files and folders that are not data: names starting with {@code _} or {@code .}. */
    static boolean hidden(String name) {
        return name.startsWith("_") || name.startsWith(".");
    }

    /** Hive escapes special characters in partition values as {@code %XX}; {@code __HIVE_DEFAULT_PARTITION__} is null. */
    static String unescape(String value) {
        if (value.equals("__HIVE_DEFAULT_PARTITION__")) {
            return null;
        }
        if (value.indexOf('%') < 0) {
            return value;
        }
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Turns a storage failure into the module's exception, secrets removed from every message. */
    public ExternalException failure(String verb, String what, Throwable e) {
        if (e instanceof ExternalException x) {
            return x;
        }
        String detail = redact(rootMessage(e));
        if (denied(e)) {
            return new ExternalException(ExternalErrorCode.ACCESS_DENIED, "Cannot " + verb + " " + redact(what)
                    + ": storage refused the credential" + source.credential().map(c -> " " + c).orElse("")
                    + " of data source " + source.name() + " (" + detail + "; check the credential's SECRET and "
                    + "IDENTITY, see docs/EXTERNAL-TABLES-DATA.md)");
        }
        if (e instanceof FileNotFoundException) {
            return new ExternalException(ExternalErrorCode.LOCATION_NOT_FOUND, "Cannot " + verb + " " + redact(what)
                    + ": it does not exist (" + detail + ")");
        }
        if (e instanceof InterruptedIOException) {
            Thread.currentThread().interrupt();
        }
        return new ExternalException(ExternalErrorCode.STORAGE_FAILED, "Cannot " + verb + " " + redact(what)
                + ": storage failed (" + e.getClass().getSimpleName() + ": " + detail + "; check that the data "
                + "source " + source.name() + " is reachable)", new RedactedCause(e, this));
    }

    private static boolean denied(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            String type = t.getClass().getSimpleName();
            if (m.contains("failed to authenticate") || m.contains("authenticationfailed")
                    || m.contains("authorizationfailure") || m.contains("authorizationpermissionmismatch")
                    || m.contains("http error 403") || m.contains("status code 403") || m.contains("forbidden")
                    || type.equals("AccessDeniedException") || m.contains("signature did not match")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        String message = e.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        message = message.strip();
        int nl = message.indexOf('\n');
        return nl > 0 ? message.substring(0, nl) : message;
    }

    /** Removes the secret and any SAS signature from a text. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text.replaceAll("(?i)(sig=)[^&\\s\"']+", "$1***");
        if (secretText.isPresent() && !secretText.get().isEmpty()) {
            out = out.replace(secretText.get(), "***");
        }
        return out;
    }

    @Override
    public synchronized void close() {
        for (FileSystem fs : fileSystems.values()) {
            try {
                fs.close();
            } catch (IOException | RuntimeException e) {
                // closing a read-only file system frees sockets; nothing was written that could be lost
                continue;
            }
        }
        fileSystems.clear();
    }

    /**
     * A cause whose messages went through {@link #redact}: Azure SDK exceptions can carry request
     * URLs with SAS signatures, so the original exception is not kept as a cause.
     */
    static final class RedactedCause extends IOException {
        private static final long serialVersionUID = 1L;

        RedactedCause(Throwable original, Storage storage) {
            super(original.getClass().getName() + ": " + storage.redact(String.valueOf(original.getMessage())));
            setStackTrace(original.getStackTrace());
            if (original.getCause() != null && original.getCause() != original) {
                initCause(new RedactedCause(original.getCause(), storage));
            }
        }
    }
}
