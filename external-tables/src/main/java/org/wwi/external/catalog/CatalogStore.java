package org.wwi.external.catalog;

import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.wwi.control.ControlErrorCode;
import org.wwi.control.ControlException;
import org.wwi.control.SecretStore;
import org.wwi.control.ServiceKey;
import org.wwi.external.Catalog;
import org.wwi.external.DataSourceDef;
import org.wwi.external.DelimitedOptions;
import org.wwi.external.ExternalColumn;
import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.ExternalTableDef;
import org.wwi.external.ExternalType;
import org.wwi.external.FileFormatDef;
import org.wwi.external.RejectPolicy;
import org.wwi.external.ResolvedTable;
import org.wwi.external.catalog.jooq.tables.records.ExternalDataSourceRecord;
import org.wwi.external.catalog.jooq.tables.records.ExternalFileFormatRecord;
import org.wwi.external.catalog.jooq.tables.records.ExternalTableRecord;
import org.wwi.external.ddl.DdlStatement;
import org.wwi.external.ddl.Placeholders;
import org.wwi.external.ddl.SqlScript;
import org.wwi.platform.Database;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;
import static org.wwi.external.catalog.jooq.Tables.EXTERNAL_COLUMN;
import static org.wwi.external.catalog.jooq.Tables.EXTERNAL_DATA_SOURCE;
import static org.wwi.external.catalog.jooq.Tables.EXTERNAL_FILE_FORMAT;
import static org.wwi.external.catalog.jooq.Tables.EXTERNAL_TABLE;

/**
 * The external-table catalog in the control database (schema {@code catalog}, migration V20),
 * with the master key and credentials of {@link SecretStore}. It runs parsed PolyBase DDL with
 * the checks PolyBase makes (names unique case-insensitively, referenced credential, data source
 * and file format exist, nothing in use is dropped, supported LOCATION schemes), each statement
 * in one transaction, and answers {@link Catalog} lookups from the current state.
 */
public final class CatalogStore implements Catalog {
    private final Database control;
    private final ServiceKey serviceKey;

    private CatalogStore(Database control, ServiceKey serviceKey) {
        this.control = control;
        this.serviceKey = serviceKey;
    }

    /** The catalog of {@code control}; the service key comes from WWI_SERVICE_KEY or {@code stateDir/service.key}. */
    public static CatalogStore open(Database control, Path stateDir) {
        return open(control, ServiceKey.standard(requireNonNull(stateDir, "stateDir is null")));
    }

    public static CatalogStore open(Database control, ServiceKey serviceKey) {
        return new CatalogStore(requireNonNull(control, "control is null"),
                requireNonNull(serviceKey, "serviceKey is null"));
    }

    /** What one executed statement did. */
    public record Outcome(String statement, String result, Duration elapsed) {
        public Outcome {
            requireNonNull(statement, "statement is null");
            requireNonNull(result, "result is null");
            requireNonNull(elapsed, "elapsed is null");
        }
    }

    // ------------------------------------------------------------------------------------------------ execution

    /** Runs one statement in its own transaction. */
    public Outcome execute(DdlStatement statement) {
        requireNonNull(statement, "statement is null");
        long start = System.nanoTime();
        try (Connection c = control.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                String result = apply(statement, c);
                c.commit();
                return new Outcome(statement.describe(), result, Duration.ofNanos(System.nanoTime() - start));
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new ExternalException(ExternalErrorCode.DATABASE_FAILED, "Cannot run " + statement.describe()
                    + " (" + statement.span().where() + "): " + e.getMessage(), e);
        }
    }

    /** Parses {@code script} (PolyBase DDL only) and runs its statements, each in its own transaction. */
    public List<Outcome> execute(String script, String origin, Placeholders placeholders) {
        List<Outcome> out = new ArrayList<>();
        for (DdlStatement s : SqlScript.parseDdl(script, origin, placeholders)) {
            out.add(execute(s));
        }
        return out;
    }

    /** Runs one statement inside the caller's transaction (the Flyway resolver's); returns what it did. */
    String apply(DdlStatement statement, Connection transaction) {
        DSLContext dsl = DSL.using(transaction, SQLDialect.POSTGRES);
        SecretStore secrets = SecretStore.open(control, serviceKey).using(transaction);
        try {
            return new Applier(dsl, secrets, statement).run();
        } catch (DataAccessException e) {
            throw translate(statement, e);
        } catch (ControlException e) {
            throw translate(statement, e);
        }
    }

    /** The secret store's error as this module's, naming the statement. */
    private static ExternalException translate(DdlStatement statement, ControlException e) {
        ExternalErrorCode code = switch ((ControlErrorCode) e.code()) {
            case MASTER_KEY_EXISTS, CREDENTIAL_EXISTS -> ExternalErrorCode.ALREADY_EXISTS;
            case NO_MASTER_KEY, CREDENTIAL_NOT_FOUND -> ExternalErrorCode.NOT_FOUND;
            case WEAK_PASSWORD, WRONG_PASSWORD, CREDENTIAL_INVALID -> ExternalErrorCode.INVALID_DEFINITION;
            case SERVICE_KEY_MISSING, SERVICE_KEY_MISMATCH, SERVICE_KEY_INVALID, SECRET_CORRUPT ->
                    ExternalErrorCode.SECRETS_UNAVAILABLE;
            case DATABASE_FAILED -> ExternalErrorCode.DATABASE_FAILED;
            case IO_FAILED -> ExternalErrorCode.IO_FAILED;
        };
        return new ExternalException(code, "Cannot run " + statement.describe() + " (" + statement.span().where()
                + "): " + e.getMessage(), e);
    }

    private static ExternalException translate(DdlStatement statement, DataAccessException e) {
        String state = e.sqlState();
        String what = statement.describe() + " (" + statement.span().where() + ")";
        if ("23505".equals(state)) {
            return new ExternalException(ExternalErrorCode.ALREADY_EXISTS, "Cannot run " + what
                    + ": the name exists already (another session created it at the same time)", e);
        }
        if ("23503".equals(state)) {
            return new ExternalException(ExternalErrorCode.IN_USE, "Cannot run " + what
                    + ": it is still referenced (" + lastLine(e) + ")", e);
        }
        return new ExternalException(ExternalErrorCode.DATABASE_FAILED, "Cannot run " + what + ": " + lastLine(e), e);
    }

    private static String lastLine(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.lines().reduce((a, b) -> b).orElse(m);
    }

    /** Applies one statement with PolyBase's checks. */
    private final class Applier {
        private final DSLContext dsl;
        private final SecretStore secrets;
        private final DdlStatement statement;

        Applier(DSLContext dsl, SecretStore secrets, DdlStatement statement) {
            this.dsl = dsl;
            this.secrets = secrets;
            this.statement = statement;
        }

        String run() {
            return run(statement);
        }

        private String run(DdlStatement s) {
            if (s instanceof DdlStatement.CreateMasterKey m) {
                char[] password = m.password().map(p -> p.chars()).orElseGet(CatalogStore::randomPassword);
                try {
                    secrets.createMasterKey(password);
                } finally {
                    java.util.Arrays.fill(password, '\0');
                }
                return m.password().isPresent() ? "created" : "created (protected by the service key only)";
            }
            if (s instanceof DdlStatement.OpenMasterKey o) {
                char[] password = o.password().chars();
                try {
                    secrets.openMasterKey(password);
                } finally {
                    java.util.Arrays.fill(password, '\0');
                }
                return "opened: the master key is now protected by this machine's service key";
            }
            if (s instanceof DdlStatement.Credential c) {
                return credential(c);
            }
            if (s instanceof DdlStatement.CreateDataSource d) {
                return createDataSource(d.definition());
            }
            if (s instanceof DdlStatement.CreateFileFormat f) {
                return createFileFormat(f.definition());
            }
            if (s instanceof DdlStatement.CreateExternalTable t) {
                return createTable(t.definition());
            }
            if (s instanceof DdlStatement.Drop d) {
                return drop(d);
            }
            if (s instanceof DdlStatement.Conditional c) {
                boolean exists = exists(c.kind(), c.name());
                if (exists == c.negated()) {
                    return "skipped: " + c.kind().sql().toLowerCase(java.util.Locale.ROOT)
                            + c.name().map(n -> " " + n).orElse("") + (exists ? " exists" : " does not exist");
                }
                return run(c.then());
            }
            throw new ExternalException(ExternalErrorCode.INTERNAL, "Cannot run " + s.describe()
                    + ": no handler (this is a bug, please report it)");
        }

        private String credential(DdlStatement.Credential c) {
            Optional<String> existing = credentialName(c.name());
            char[] secret = null;
            try {
                if (!c.alter()) {
                    if (existing.isPresent()) {
                        throw fail(ExternalErrorCode.ALREADY_EXISTS, "database scoped credential " + existing.get()
                                + " exists already (ALTER DATABASE SCOPED CREDENTIAL changes it; names are "
                                + "case-insensitive)");
                    }
                    secret = c.secret().map(x -> x.chars()).orElseGet(() -> new char[0]);
                    secrets.createCredential(c.name(), c.identity(), secret);
                    return "created";
                }
                String name = existing.orElseThrow(() -> fail(ExternalErrorCode.NOT_FOUND, "database scoped "
                        + "credential " + c.name() + " does not exist (CREATE DATABASE SCOPED CREDENTIAL first)"));
                secret = c.secret().isPresent() ? c.secret().get().chars() : secrets.secret(name).secret();
                secrets.alterCredential(name, c.identity(), secret);
                return c.secret().isPresent() ? "altered" : "altered (identity only; the secret is unchanged)";
            } finally {
                if (secret != null) {
                    java.util.Arrays.fill(secret, '\0');
                }
            }
        }

        private String createDataSource(DataSourceDef d) {
            if (dataSourceRecord(dsl, d.name()).isPresent()) {
                throw fail(ExternalErrorCode.ALREADY_EXISTS, "external data source " + d.name()
                        + " exists already (DROP EXTERNAL DATA SOURCE it first; names are case-insensitive)");
            }
            String credential = null;
            if (d.credential().isPresent()) {
                credential = credentialName(d.credential().get()).orElseThrow(() -> fail(ExternalErrorCode.NOT_FOUND,
                        "credential " + d.credential().get() + " does not exist (CREATE DATABASE SCOPED CREDENTIAL "
                                + d.credential().get() + " WITH IDENTITY = '…', SECRET = '…' first)"));
            }
            dsl.insertInto(EXTERNAL_DATA_SOURCE)
                    .set(EXTERNAL_DATA_SOURCE.NAME, d.name())
                    .set(EXTERNAL_DATA_SOURCE.TYPE, d.type())
                    .set(EXTERNAL_DATA_SOURCE.LOCATION, d.location().toString())
                    .set(EXTERNAL_DATA_SOURCE.CREDENTIAL_NAME, credential)
                    .execute();
            return "created (" + d.location() + ")";
        }

        private String createFileFormat(FileFormatDef f) {
            if (fileFormatRecord(dsl, f.name()).isPresent()) {
                throw fail(ExternalErrorCode.ALREADY_EXISTS, "external file format " + f.name()
                        + " exists already (DROP EXTERNAL FILE FORMAT it first; names are case-insensitive)");
            }
            DelimitedOptions o = f.options();
            dsl.insertInto(EXTERNAL_FILE_FORMAT)
                    .set(EXTERNAL_FILE_FORMAT.NAME, f.name())
                    .set(EXTERNAL_FILE_FORMAT.FORMAT_TYPE, f.type().name())
                    .set(EXTERNAL_FILE_FORMAT.FIELD_TERMINATOR, o.fieldTerminator())
                    .set(EXTERNAL_FILE_FORMAT.STRING_DELIMITER, o.stringDelimiter().map(String::valueOf).orElse(null))
                    .set(EXTERNAL_FILE_FORMAT.FIRST_ROW, o.firstRow())
                    .set(EXTERNAL_FILE_FORMAT.DATE_FORMAT, o.dateFormat().orElse(null))
                    .set(EXTERNAL_FILE_FORMAT.USE_TYPE_DEFAULT, o.useTypeDefault())
                    .set(EXTERNAL_FILE_FORMAT.ENCODING, o.encoding().equals(StandardCharsets.UTF_16) ? "UTF16" : "UTF8")
                    .set(EXTERNAL_FILE_FORMAT.DATA_COMPRESSION, f.compression().orElse(null))
                    .execute();
            return "created (" + f.type() + ")";
        }

        private String createTable(ExternalTableDef t) {
            if (tableRecord(dsl, t.schema(), t.name()).isPresent()) {
                throw fail(ExternalErrorCode.ALREADY_EXISTS, "external table " + t.qualifiedName()
                        + " exists already (DROP EXTERNAL TABLE it first; names are case-insensitive)");
            }
            ExternalDataSourceRecord source = dataSourceRecord(dsl, t.dataSource()).orElseThrow(() -> fail(
                    ExternalErrorCode.NOT_FOUND, "external data source " + t.dataSource() + " does not exist (CREATE "
                            + "EXTERNAL DATA SOURCE " + t.dataSource() + " first)"));
            ExternalFileFormatRecord format = fileFormatRecord(dsl, t.fileFormat()).orElseThrow(() -> fail(
                    ExternalErrorCode.NOT_FOUND, "external file format " + t.fileFormat() + " does not exist (CREATE "
                            + "EXTERNAL FILE FORMAT " + t.fileFormat() + " first)"));
            checkLocation(t);
            int tableId = dsl.insertInto(EXTERNAL_TABLE)
                    .set(EXTERNAL_TABLE.SCHEMA_NAME, t.schema())
                    .set(EXTERNAL_TABLE.TABLE_NAME, t.name())
                    .set(EXTERNAL_TABLE.LOCATION, t.location())
                    .set(EXTERNAL_TABLE.DATA_SOURCE_ID, source.getDataSourceId())
                    .set(EXTERNAL_TABLE.FILE_FORMAT_ID, format.getFileFormatId())
                    .set(EXTERNAL_TABLE.REJECT_TYPE, t.reject().type().name())
                    .set(EXTERNAL_TABLE.REJECT_VALUE, t.reject().value())
                    .set(EXTERNAL_TABLE.REJECT_SAMPLE_VALUE, t.reject().sampleValue().isPresent()
                            ? t.reject().sampleValue().getAsLong() : null)
                    .set(EXTERNAL_TABLE.OPTIONS, JSONB.valueOf(Json.object(t.options())))
                    .returning(EXTERNAL_TABLE.TABLE_ID)
                    .fetchOne(EXTERNAL_TABLE.TABLE_ID);
            int ordinal = 0;
            for (ExternalColumn c : t.columns()) {
                ExternalType type = c.type();
                dsl.insertInto(EXTERNAL_COLUMN)
                        .set(EXTERNAL_COLUMN.TABLE_ID, tableId)
                        .set(EXTERNAL_COLUMN.ORDINAL, ++ordinal)
                        .set(EXTERNAL_COLUMN.NAME, c.name())
                        .set(EXTERNAL_COLUMN.TYPE_KIND, type.kind().name())
                        .set(EXTERNAL_COLUMN.TYPE_PRECISION, type.precision())
                        .set(EXTERNAL_COLUMN.TYPE_SCALE, type.scale())
                        .set(EXTERNAL_COLUMN.TYPE_LENGTH, type.length())
                        .set(EXTERNAL_COLUMN.SQL_TYPE, type.sqlName())
                        .set(EXTERNAL_COLUMN.POSTGRES_TYPE, type.postgresType())
                        .set(EXTERNAL_COLUMN.NULLABLE, c.nullable())
                        .set(EXTERNAL_COLUMN.PARTITION_COLUMN, c.partitionColumn())
                        .execute();
            }
            long partitions = t.columns().stream().filter(ExternalColumn::partitionColumn).count();
            return "created (" + t.columns().size() + " columns" + (partitions > 0 ? ", " + partitions
                    + " partition column" + (partitions > 1 ? "s" : "") : "") + ", " + source.getName() + " "
                    + t.location() + ", " + format.getFormatType() + ")";
        }

        private void checkLocation(ExternalTableDef t) {
            String l = t.location();
            if (l.contains("://")) {
                throw fail(ExternalErrorCode.UNSUPPORTED_LOCATION, "LOCATION '" + l + "' is a full URI; write it "
                        + "relative to the data source's LOCATION, e.g. '/weblogs/'");
            }
            for (String segment : l.split("/")) {
                if (segment.equals("..")) {
                    throw fail(ExternalErrorCode.UNSUPPORTED_LOCATION, "LOCATION '" + l + "' leaves the data "
                            + "source's folder with '..'");
                }
            }
        }

        private String drop(DdlStatement.Drop d) {
            switch (d.kind()) {
                case CREDENTIAL -> {
                    String name = credentialName(d.name()).orElseThrow(() -> notFound(d));
                    List<String> users = dsl.select(EXTERNAL_DATA_SOURCE.NAME).from(EXTERNAL_DATA_SOURCE)
                            .where(EXTERNAL_DATA_SOURCE.CREDENTIAL_NAME.eq(name))
                            .orderBy(EXTERNAL_DATA_SOURCE.NAME).fetch(EXTERNAL_DATA_SOURCE.NAME);
                    if (!users.isEmpty()) {
                        throw fail(ExternalErrorCode.IN_USE, "external data source" + plural(users) + " "
                                + String.join(", ", users) + " use" + (users.size() == 1 ? "s" : "") + " it (drop "
                                + (users.size() == 1 ? "it" : "them") + " first)");
                    }
                    secrets.dropCredential(name);
                }
                case DATA_SOURCE -> {
                    ExternalDataSourceRecord r = dataSourceRecord(dsl, d.name()).orElseThrow(() -> notFound(d));
                    refuseUsers(dsl.select(EXTERNAL_TABLE.SCHEMA_NAME, EXTERNAL_TABLE.TABLE_NAME).from(EXTERNAL_TABLE)
                            .where(EXTERNAL_TABLE.DATA_SOURCE_ID.eq(r.getDataSourceId()))
                            .orderBy(EXTERNAL_TABLE.SCHEMA_NAME, EXTERNAL_TABLE.TABLE_NAME)
                            .fetch(x -> x.value1() + "." + x.value2()));
                    r.delete();
                }
                case FILE_FORMAT -> {
                    ExternalFileFormatRecord r = fileFormatRecord(dsl, d.name()).orElseThrow(() -> notFound(d));
                    refuseUsers(dsl.select(EXTERNAL_TABLE.SCHEMA_NAME, EXTERNAL_TABLE.TABLE_NAME).from(EXTERNAL_TABLE)
                            .where(EXTERNAL_TABLE.FILE_FORMAT_ID.eq(r.getFileFormatId()))
                            .orderBy(EXTERNAL_TABLE.SCHEMA_NAME, EXTERNAL_TABLE.TABLE_NAME)
                            .fetch(x -> x.value1() + "." + x.value2()));
                    r.delete();
                }
                case TABLE -> tableRecord(dsl, d.schema().orElse("dbo"), d.name()).orElseThrow(() -> notFound(d))
                        .delete();
                default -> throw fail(ExternalErrorCode.INVALID_DEFINITION, "DROP MASTER KEY is not supported "
                        + "(credentials depend on it)");
            }
            return "dropped";
        }

        private void refuseUsers(List<String> tables) {
            if (!tables.isEmpty()) {
                throw fail(ExternalErrorCode.IN_USE, "external table" + plural(tables) + " " + String.join(", ", tables)
                        + " use" + (tables.size() == 1 ? "s" : "") + " it (DROP EXTERNAL TABLE " + (tables.size() == 1
                        ? "it" : "them") + " first)");
            }
        }

        private boolean exists(DdlStatement.ObjectKind kind, Optional<String> name) {
            return switch (kind) {
                case MASTER_KEY -> secrets.hasMasterKey();
                case CREDENTIAL -> name.map(n -> credentialName(n).isPresent())
                        .orElseGet(() -> !secrets.credentials().isEmpty());
                case DATA_SOURCE -> name.map(n -> dataSourceRecord(dsl, n).isPresent())
                        .orElseGet(() -> dsl.fetchExists(EXTERNAL_DATA_SOURCE));
                case FILE_FORMAT -> name.map(n -> fileFormatRecord(dsl, n).isPresent())
                        .orElseGet(() -> dsl.fetchExists(EXTERNAL_FILE_FORMAT));
                case TABLE -> name.map(n -> dsl.fetchExists(EXTERNAL_TABLE,
                                DSL.lower(EXTERNAL_TABLE.TABLE_NAME).eq(n.toLowerCase(java.util.Locale.ROOT))))
                        .orElseGet(() -> dsl.fetchExists(EXTERNAL_TABLE));
            };
        }

        /** The stored name of the credential called {@code name} in any case. */
        private Optional<String> credentialName(String name) {
            return secrets.credentials().stream().map(SecretStore.CredentialInfo::name)
                    .filter(n -> n.equalsIgnoreCase(name)).findFirst();
        }

        private ExternalException notFound(DdlStatement.Drop d) {
            return fail(ExternalErrorCode.NOT_FOUND, d.kind().sql().toLowerCase(java.util.Locale.ROOT) + " "
                    + d.schema().map(x -> x + ".").orElse("") + d.name() + " does not exist");
        }

        private ExternalException fail(ExternalErrorCode code, String reason) {
            return new ExternalException(code, "Cannot run " + statement.describe() + " (" + statement.span().where()
                    + "): " + reason);
        }
    }

    private static String plural(List<?> items) {
        return items.size() == 1 ? "" : "s";
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[24];
        new java.security.SecureRandom().nextBytes(bytes);
        char[] out = java.util.Base64.getEncoder().encodeToString(bytes).toCharArray();
        java.util.Arrays.fill(bytes, (byte) 0);
        return out;
    }

    // --------------------------------------------------------------------------------------------------- lookups

    private static Optional<ExternalDataSourceRecord> dataSourceRecord(DSLContext dsl, String name) {
        return dsl.selectFrom(EXTERNAL_DATA_SOURCE)
                .where(DSL.lower(EXTERNAL_DATA_SOURCE.NAME).eq(name.toLowerCase(java.util.Locale.ROOT)))
                .fetchOptional();
    }

    private static Optional<ExternalFileFormatRecord> fileFormatRecord(DSLContext dsl, String name) {
        return dsl.selectFrom(EXTERNAL_FILE_FORMAT)
                .where(DSL.lower(EXTERNAL_FILE_FORMAT.NAME).eq(name.toLowerCase(java.util.Locale.ROOT)))
                .fetchOptional();
    }

    private static Optional<ExternalTableRecord> tableRecord(DSLContext dsl, String schema, String name) {
        return dsl.selectFrom(EXTERNAL_TABLE)
                .where(DSL.lower(EXTERNAL_TABLE.SCHEMA_NAME).eq(schema.toLowerCase(java.util.Locale.ROOT)))
                .and(DSL.lower(EXTERNAL_TABLE.TABLE_NAME).eq(name.toLowerCase(java.util.Locale.ROOT)))
                .fetchOptional();
    }

    private <T> T read(String what, Function<DSLContext, T> body) {
        try {
            return body.apply(DSL.using(control.dataSource(), SQLDialect.POSTGRES));
        } catch (DataAccessException e) {
            throw new ExternalException(ExternalErrorCode.DATABASE_FAILED, "Cannot read " + what
                    + " from the external-table catalog: " + lastLine(e), e);
        }
    }

    @Override
    public Optional<ExternalTableDef> table(String schema, String name) {
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
        return read("external table " + schema + "." + name, dsl -> tableRecord(dsl, schema, name)
                .map(r -> toTable(dsl, List.of(r)).get(0)));
    }

    @Override
    public List<ExternalTableDef> tables() {
        return read("external tables", dsl -> toTable(dsl, dsl.selectFrom(EXTERNAL_TABLE)
                .orderBy(DSL.lower(EXTERNAL_TABLE.SCHEMA_NAME), DSL.lower(EXTERNAL_TABLE.TABLE_NAME)).fetch()));
    }

    @Override
    public Optional<DataSourceDef> dataSource(String name) {
        requireNonNull(name, "name is null");
        return read("external data source " + name, dsl -> dataSourceRecord(dsl, name).map(CatalogStore::toSource));
    }

    @Override
    public List<DataSourceDef> dataSources() {
        return read("external data sources", dsl -> dsl.selectFrom(EXTERNAL_DATA_SOURCE)
                .orderBy(DSL.lower(EXTERNAL_DATA_SOURCE.NAME)).fetch(CatalogStore::toSource));
    }

    @Override
    public Optional<FileFormatDef> fileFormat(String name) {
        requireNonNull(name, "name is null");
        return read("external file format " + name, dsl -> fileFormatRecord(dsl, name).map(CatalogStore::toFormat));
    }

    @Override
    public List<FileFormatDef> fileFormats() {
        return read("external file formats", dsl -> dsl.selectFrom(EXTERNAL_FILE_FORMAT)
                .orderBy(DSL.lower(EXTERNAL_FILE_FORMAT.NAME)).fetch(CatalogStore::toFormat));
    }

    @Override
    public ResolvedTable resolved(String schema, String name) {
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
        return read("external table " + schema + "." + name, dsl -> {
            ExternalTableRecord r = tableRecord(dsl, schema, name).orElseThrow(() -> new ExternalException(
                    ExternalErrorCode.NOT_FOUND, "Cannot find external table " + schema + "." + name
                    + " (CREATE EXTERNAL TABLE it first; SELECT * FROM catalog.external_tables lists them)"));
            ExternalTableDef table = toTable(dsl, List.of(r)).get(0);
            DataSourceDef source = toSource(dsl.selectFrom(EXTERNAL_DATA_SOURCE)
                    .where(EXTERNAL_DATA_SOURCE.DATA_SOURCE_ID.eq(r.getDataSourceId())).fetchSingle());
            FileFormatDef format = toFormat(dsl.selectFrom(EXTERNAL_FILE_FORMAT)
                    .where(EXTERNAL_FILE_FORMAT.FILE_FORMAT_ID.eq(r.getFileFormatId())).fetchSingle());
            return new ResolvedTable(table, source, format);
        });
    }

    @Override
    public SecretStore.Secret secret(String credential) {
        requireNonNull(credential, "credential is null");
        SecretStore secrets = SecretStore.open(control, serviceKey);
        String name = secrets.credentials().stream().map(SecretStore.CredentialInfo::name)
                .filter(n -> n.equalsIgnoreCase(credential)).findFirst()
                .orElseThrow(() -> new ExternalException(ExternalErrorCode.NOT_FOUND, "Cannot use credential "
                        + credential + ": it does not exist (CREATE DATABASE SCOPED CREDENTIAL " + credential
                        + " WITH IDENTITY = '…', SECRET = '…')"));
        return secrets.secret(name);
    }

    // ---------------------------------------------------------------------------------------------------- mapping

    private static DataSourceDef toSource(ExternalDataSourceRecord r) {
        return new DataSourceDef(r.getName(), r.getType(), URI.create(r.getLocation()),
                Optional.ofNullable(r.getCredentialName()));
    }

    private static FileFormatDef toFormat(ExternalFileFormatRecord r) {
        Charset encoding = "UTF16".equals(r.getEncoding()) ? StandardCharsets.UTF_16 : StandardCharsets.UTF_8;
        FileFormatDef.FormatType type = FileFormatDef.FormatType.valueOf(r.getFormatType());
        DelimitedOptions options = type == FileFormatDef.FormatType.PARQUET ? DelimitedOptions.DEFAULT
                : new DelimitedOptions(r.getFieldTerminator(),
                Optional.ofNullable(r.getStringDelimiter()).map(s -> s.charAt(0)), r.getFirstRow(),
                Optional.ofNullable(r.getDateFormat()), r.getUseTypeDefault(), encoding);
        return new FileFormatDef(r.getName(), type, options, Optional.ofNullable(r.getDataCompression()));
    }

    private static List<ExternalTableDef> toTable(DSLContext dsl, List<ExternalTableRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        List<Integer> ids = records.stream().map(ExternalTableRecord::getTableId).toList();
        Map<Integer, List<ExternalColumn>> columns = new LinkedHashMap<>();
        dsl.selectFrom(EXTERNAL_COLUMN).where(EXTERNAL_COLUMN.TABLE_ID.in(ids))
                .orderBy(EXTERNAL_COLUMN.TABLE_ID, EXTERNAL_COLUMN.ORDINAL)
                .forEach(c -> columns.computeIfAbsent(c.getTableId(), k -> new ArrayList<>()).add(new ExternalColumn(
                        c.getName(), new ExternalType(ExternalType.Kind.valueOf(c.getTypeKind()), c.getTypePrecision(),
                        c.getTypeScale(), c.getTypeLength()), c.getNullable(), c.getPartitionColumn())));
        Map<Integer, Map<String, String>> options = new LinkedHashMap<>();
        var key = DSL.field(DSL.name("o", "key"), String.class);
        var value = DSL.field(DSL.name("o", "value"), String.class);
        for (Record r : dsl.select(EXTERNAL_TABLE.TABLE_ID, key, value)
                .from(EXTERNAL_TABLE, DSL.table("jsonb_each_text({0})", EXTERNAL_TABLE.OPTIONS).as("o"))
                .where(EXTERNAL_TABLE.TABLE_ID.in(ids)).orderBy(EXTERNAL_TABLE.TABLE_ID, key).fetch()) {
            options.computeIfAbsent(r.get(EXTERNAL_TABLE.TABLE_ID), k -> new LinkedHashMap<>())
                    .put(r.get(key), r.get(value));
        }
        Map<Integer, String> sourceNames = new LinkedHashMap<>();
        dsl.select(EXTERNAL_DATA_SOURCE.DATA_SOURCE_ID, EXTERNAL_DATA_SOURCE.NAME).from(EXTERNAL_DATA_SOURCE)
                .forEach(r -> sourceNames.put(r.value1(), r.value2()));
        Map<Integer, String> formatNames = new LinkedHashMap<>();
        dsl.select(EXTERNAL_FILE_FORMAT.FILE_FORMAT_ID, EXTERNAL_FILE_FORMAT.NAME).from(EXTERNAL_FILE_FORMAT)
                .forEach(r -> formatNames.put(r.value1(), r.value2()));
        List<ExternalTableDef> out = new ArrayList<>();
        for (ExternalTableRecord r : records) {
            RejectPolicy reject = new RejectPolicy(RejectPolicy.RejectType.valueOf(r.getRejectType()),
                    r.getRejectValue(), r.getRejectSampleValue() == null ? OptionalLong.empty()
                    : OptionalLong.of(r.getRejectSampleValue()));
            out.add(new ExternalTableDef(r.getSchemaName(), r.getTableName(),
                    columns.getOrDefault(r.getTableId(), List.of()), r.getLocation(),
                    sourceNames.get(r.getDataSourceId()), formatNames.get(r.getFileFormatId()), reject,
                    options.getOrDefault(r.getTableId(), Map.of())));
        }
        return out;
    }
}
