package org.wwi.external.ddl;

import org.wwi.external.DataSourceDef;
import org.wwi.external.ExternalTableDef;
import org.wwi.external.FileFormatDef;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A parsed PolyBase DDL statement. Records never hold a secret in clear text: passwords and
 * secrets are {@link SecretText}, and {@link Span#text()} has them masked.
 */
public sealed interface DdlStatement {

    /** Where the statement is: 1-based line and column in its script, and its text with secrets masked. */
    record Span(String origin, int line, int column, String text) {
        public Span {
            requireNonNull(origin, "origin is null");
            requireNonNull(text, "text is null");
        }

        /** {@code origin line L}, e.g. {@code V1__wwi.sql line 12}. */
        public String where() {
            return origin + " line " + line;
        }
    }

    Span span();

    /** What it does, without secrets: {@code CREATE EXTERNAL TABLE ext.weblogs}. */
    String describe();

    /** {@code CREATE MASTER KEY [ENCRYPTION BY PASSWORD = '…']}. */
    record CreateMasterKey(Span span, Optional<SecretText> password) implements DdlStatement {
        public String describe() {
            return "CREATE MASTER KEY";
        }
    }

    /** {@code OPEN MASTER KEY DECRYPTION BY PASSWORD = '…'}: protects the key with this machine's service key. */
    record OpenMasterKey(Span span, SecretText password) implements DdlStatement {
        public String describe() {
            return "OPEN MASTER KEY";
        }
    }

    /** {@code CREATE|ALTER DATABASE SCOPED CREDENTIAL name WITH IDENTITY = '…' [, SECRET = '…']}. */
    record Credential(Span span, boolean alter, String name, String identity, Optional<SecretText> secret)
            implements DdlStatement {
        public String describe() {
            return (alter ? "ALTER" : "CREATE") + " DATABASE SCOPED CREDENTIAL " + name;
        }
    }

    /** {@code CREATE EXTERNAL DATA SOURCE}. */
    record CreateDataSource(Span span, DataSourceDef definition) implements DdlStatement {
        public String describe() {
            return "CREATE EXTERNAL DATA SOURCE " + definition.name();
        }
    }

    /** {@code CREATE EXTERNAL FILE FORMAT}. */
    record CreateFileFormat(Span span, FileFormatDef definition) implements DdlStatement {
        public String describe() {
            return "CREATE EXTERNAL FILE FORMAT " + definition.name();
        }
    }

    /** {@code CREATE EXTERNAL TABLE}. */
    record CreateExternalTable(Span span, ExternalTableDef definition) implements DdlStatement {
        public String describe() {
            return "CREATE EXTERNAL TABLE " + definition.qualifiedName();
        }
    }

    /** What a DROP or an IF [NOT] EXISTS test names. */
    enum ObjectKind {
        MASTER_KEY("MASTER KEY", "sys.symmetric_keys"),
        CREDENTIAL("DATABASE SCOPED CREDENTIAL", "sys.database_scoped_credentials"),
        DATA_SOURCE("EXTERNAL DATA SOURCE", "sys.external_data_sources"),
        FILE_FORMAT("EXTERNAL FILE FORMAT", "sys.external_file_formats"),
        TABLE("EXTERNAL TABLE", "sys.external_tables");

        private final String sql;
        private final String catalogView;

        ObjectKind(String sql, String catalogView) {
            this.sql = sql;
            this.catalogView = catalogView;
        }

        /** As in DDL: {@code EXTERNAL DATA SOURCE}. */
        public String sql() {
            return sql;
        }

        /** SQL Server's catalog view of this kind, accepted in IF [NOT] EXISTS tests. */
        public String catalogView() {
            return catalogView;
        }
    }

    /**
     * {@code DROP DATABASE SCOPED CREDENTIAL name}, {@code DROP EXTERNAL DATA SOURCE|FILE FORMAT name},
     * {@code DROP EXTERNAL TABLE [schema.]name}.
     *
     * @param schema the table's schema; empty for other kinds
     */
    record Drop(Span span, ObjectKind kind, Optional<String> schema, String name) implements DdlStatement {
        public Drop {
            requireNonNull(kind, "kind is null");
            requireNonNull(schema, "schema is null");
            requireNonNull(name, "name is null");
        }

        public String describe() {
            return "DROP " + kind.sql() + " " + schema.map(s -> s + ".").orElse("") + name;
        }
    }

    /**
     * T-SQL's guard {@code IF [NOT] EXISTS (SELECT * FROM sys.external_data_sources WHERE name = 'x') statement}:
     * runs {@code then} only when the object exists (or, negated, does not).
     *
     * @param name empty for {@code sys.symmetric_keys} (the master key) or a test without {@code WHERE name = '…'}
     *             (then: does any object of the kind exist); for tables, a table of that name in any schema
     */
    record Conditional(Span span, boolean negated, ObjectKind kind, Optional<String> name, DdlStatement then)
            implements DdlStatement {
        public Conditional {
            requireNonNull(kind, "kind is null");
            requireNonNull(name, "name is null");
            requireNonNull(then, "then is null");
        }

        public String describe() {
            return "IF " + (negated ? "NOT " : "") + "EXISTS (" + kind.catalogView()
                    + name.map(n -> " " + n).orElse("") + ") " + then.describe();
        }
    }
}
