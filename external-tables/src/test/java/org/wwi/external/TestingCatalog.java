package org.wwi.external;

import org.wwi.control.SecretStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** An in-memory {@link Catalog} for tests: a real implementation of the interface, kept in maps. */
public final class TestingCatalog implements Catalog {
    private final Map<String, ExternalTableDef> tables = new LinkedHashMap<>();
    private final Map<String, DataSourceDef> sources = new LinkedHashMap<>();
    private final Map<String, FileFormatDef> formats = new LinkedHashMap<>();
    private final Map<String, SecretStore.Secret> secrets = new LinkedHashMap<>();

    public TestingCatalog add(DataSourceDef source) {
        sources.put(key(source.name()), source);
        return this;
    }

    public TestingCatalog add(FileFormatDef format) {
        formats.put(key(format.name()), format);
        return this;
    }

    public TestingCatalog add(ExternalTableDef table) {
        tables.put(key(table.schema() + "." + table.name()), table);
        return this;
    }

    public TestingCatalog secret(String name, String identity, String secret) {
        secrets.put(key(name), new SecretStore.Secret(identity, secret.toCharArray()));
        return this;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public Optional<ExternalTableDef> table(String schema, String name) {
        return Optional.ofNullable(tables.get(key(schema + "." + name)));
    }

    @Override
    public List<ExternalTableDef> tables() {
        return new ArrayList<>(tables.values());
    }

    @Override
    public Optional<DataSourceDef> dataSource(String name) {
        return Optional.ofNullable(sources.get(key(name)));
    }

    @Override
    public List<DataSourceDef> dataSources() {
        return new ArrayList<>(sources.values());
    }

    @Override
    public Optional<FileFormatDef> fileFormat(String name) {
        return Optional.ofNullable(formats.get(key(name)));
    }

    @Override
    public List<FileFormatDef> fileFormats() {
        return new ArrayList<>(formats.values());
    }

    @Override
    public ResolvedTable resolved(String schema, String name) {
        ExternalTableDef t = table(schema, name).orElseThrow(() -> new ExternalException(ExternalErrorCode.NOT_FOUND,
                "Cannot find external table " + schema + "." + name));
        return new ResolvedTable(t, dataSource(t.dataSource()).orElseThrow(), fileFormat(t.fileFormat()).orElseThrow());
    }

    @Override
    public SecretStore.Secret secret(String credential) {
        SecretStore.Secret s = secrets.get(key(credential));
        if (s == null) {
            throw new ExternalException(ExternalErrorCode.NOT_FOUND, "Cannot find credential " + credential);
        }
        return s;
    }
}
