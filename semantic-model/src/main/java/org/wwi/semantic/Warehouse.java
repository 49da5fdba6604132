package org.wwi.semantic;

import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.lookup.LoadingCacheLookup;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * The warehouse as Calcite sees it: every PostgreSQL schema of the database as a JDBC-adapter
 * schema, all sharing one {@link JdbcConvention} so that a query joining {@code dw} and
 * {@code mart} tables still pushes down as one statement. This root is private to the compiler:
 * client SQL is validated against the semantic views only and can never name these tables.
 */
final class Warehouse {
    /** DECIMAL up to 38 digits (PostgreSQL numeric sums would overflow Calcite's default 19). */
    static final RelDataTypeSystem TYPE_SYSTEM = new RelDataTypeSystemImpl() {
        @Override
        public int getMaxPrecision(SqlTypeName typeName) {
            return typeName == SqlTypeName.DECIMAL ? 38 : super.getMaxPrecision(typeName);
        }

        @Override
        public int getMaxScale(SqlTypeName typeName) {
            return typeName == SqlTypeName.DECIMAL ? 38 : super.getMaxScale(typeName);
        }

        /** 'ab' union 'abc' is VARCHAR as in PostgreSQL, not CHAR(3) padded with blanks. */
        @Override
        public boolean shouldConvertRaggedUnionTypesToVarying() {
            return true;
        }
    };

    /** PostgreSQL, with numeric casts up to 38 digits (the stock dialect stops at 19). */
    static final SqlDialect DIALECT = new PostgresqlSqlDialect(PostgresqlSqlDialect.DEFAULT_CONTEXT
            .withDataTypeSystem(new RelDataTypeSystemImpl() {
                @Override
                public int getMaxPrecision(SqlTypeName typeName) {
                    return typeName == SqlTypeName.DECIMAL ? 38
                            : PostgresqlSqlDialect.POSTGRESQL_TYPE_SYSTEM.getMaxPrecision(typeName);
                }

                @Override
                public int getMaxScale(SqlTypeName typeName) {
                    return typeName == SqlTypeName.DECIMAL ? 38 : super.getMaxScale(typeName);
                }
            }));

    /** Case-insensitive names, unquoted names lower case: what people used to PostgreSQL expect. */
    static final CalciteConnectionConfig CONFIG = new CalciteConnectionConfigImpl(properties());

    private final DataSource dataSource;
    private final JdbcConvention convention;
    private final List<String> schemas;
    private volatile CalciteSchema root;

    Warehouse(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.convention = JdbcConvention.of(DIALECT, Expressions.constant(null), "warehouse");
        this.schemas = listSchemas(dataSource);
        this.root = buildRoot();
    }

    private static Properties properties() {
        Properties p = new Properties();
        p.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
        p.setProperty(CalciteConnectionProperty.UNQUOTED_CASING.camelName(), "TO_LOWER");
        p.setProperty(CalciteConnectionProperty.QUOTED_CASING.camelName(), "UNCHANGED");
        p.setProperty(CalciteConnectionProperty.CONFORMANCE.camelName(), "LENIENT");
        return p;
    }

    static JavaTypeFactory typeFactory() {
        return new JavaTypeFactoryImpl(TYPE_SYSTEM);
    }

    DataSource dataSource() {
        return dataSource;
    }

    JdbcConvention convention() {
        return convention;
    }

    /** A catalog reader over the warehouse schemas, for converting generated SQL. */
    CalciteCatalogReader catalogReader(JavaTypeFactory typeFactory) {
        return new CalciteCatalogReader(root, List.of(), typeFactory, CONFIG);
    }

    /** Forgets cached table definitions (after a rollup table was rebuilt with other columns). */
    void refresh() {
        root = buildRoot();
    }

    private CalciteSchema buildRoot() {
        CalciteSchema r = CalciteSchema.createRootSchema(false, false);
        for (String s : schemas) {
            JdbcSchema jdbc = new JdbcSchema(dataSource, DIALECT, convention, null, s);
            r.add(s, new CachedSchema(jdbc));
        }
        return r;
    }

    private static List<String> listSchemas(DataSource ds) {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select nspname from pg_namespace where nspname not like 'pg\\_%' "
                     + "and nspname <> 'information_schema' order by 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new SemanticException(SemanticErrorCode.DATABASE_FAILED, "Cannot read the warehouse schemas: "
                    + e.getMessage() + " (is the database reachable and migrated? run wwi migrate)", e);
        }
        if (!out.contains("dw") || !out.contains("mart")) {
            throw new SemanticException(SemanticErrorCode.DATABASE_FAILED, "Cannot serve the semantic layer: the "
                    + "database has no dw and mart schemas (run wwi migrate first)");
        }
        return out;
    }

    /** A JDBC schema whose table definitions are read from PostgreSQL once, not at every lookup. */
    private static final class CachedSchema extends AbstractSchema {
        private final Lookup<Table> tables;

        CachedSchema(JdbcSchema delegate) {
            this.tables = new LoadingCacheLookup<>(delegate.tables(), Duration.ofHours(1));
        }

        @Override
        public Lookup<Table> tables() {
            return tables;
        }
    }
}
