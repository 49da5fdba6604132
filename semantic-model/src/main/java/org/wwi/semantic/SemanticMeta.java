package org.wwi.semantic;

import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchConnectionException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.jdbc.JdbcMeta;
import org.apache.calcite.avatica.jdbc.StatementInfo;
import org.apache.calcite.avatica.proto.Requests;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.TypedValue;
import org.wwi.semantic.QueryCompiler.CompiledQuery;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The Avatica {@code Meta} of {@code wwi serve}: Avatica's {@link JdbcMeta} over PostgreSQL
 * connections, with every entry point translated through the semantic layer. SQL from a client is
 * compiled by {@link SemanticLayer} for the authenticated user's role and only the compiled
 * statement reaches PostgreSQL; writes, batches, result-set replays and catalog/schema switches
 * are refused; metadata comes from the model, never from PostgreSQL. Sessions run read-only with
 * a statement timeout; a connection whose PostgreSQL session was lost is reopened on next use.
 */
final class SemanticMeta extends JdbcMeta {
    private final SemanticLayer layer;
    private final ServeConfig config;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    /** When each client connection last used its PostgreSQL session ({@link System#nanoTime()}). */
    private final Map<String, Long> lastUsed = new ConcurrentHashMap<>();
    private static final long IDLE_CHECK_NANOS = 1_000_000_000L;

    /** A client connection: whose it is, and the statements it compiled. */
    private static final class Session {
        final ServeConfig.User user;
        final boolean rollups;
        final Map<Integer, Running> statements = new ConcurrentHashMap<>();
        /** The statements created on this connection: no other connection may use their ids. */
        final java.util.Set<Integer> owned = ConcurrentHashMap.newKeySet();
        /** The PostgreSQL connection each statement was created on (it may have been replaced since). */
        final Map<Integer, Connection> statementConnection = new ConcurrentHashMap<>();

        Session(ServeConfig.User user, boolean rollups) {
            this.user = user;
            this.rollups = rollups;
        }
    }

    /** A statement's compiled query and its progress, for the row limit and the query log. */
    private static final class Running {
        /** Replaced when the statement is planned again (a rollup became stale or was rebuilt). */
        CompiledQuery query;
        /** The client's row limit when it prepared the statement. */
        long maxRowCount = -1;
        /** The PostgreSQL statement of the last re-planning, if any. */
        java.sql.Statement replanned;
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        long rows;
        boolean logged = true;

        Running(CompiledQuery query) {
            this.query = query;
        }

        void restart() {
            started = Instant.now();
            startNanos = System.nanoTime();
            rows = 0;
            logged = false;
        }
    }

    SemanticMeta(SemanticLayer layer, ServeConfig config) throws SQLException {
        super(layer.database().jdbcUrl(), cacheSettings());
        this.layer = requireNonNull(layer, "layer is null");
        this.config = requireNonNull(config, "config is null");
    }

    private static Properties cacheSettings() {
        Properties p = new Properties();
        p.setProperty(ConnectionCacheSettings.EXPIRY_DURATION.key(), "30");
        p.setProperty(ConnectionCacheSettings.EXPIRY_UNIT.key(), "MINUTES");
        p.setProperty(ConnectionCacheSettings.MAX_CAPACITY.key(), "500");
        return p;
    }

    // ------------------------------------------------------------------ connections

    @Override
    protected Connection createConnection(String url, Properties info) throws SQLException {
        Connection c = layer.database().dataSource().getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("set session characteristics as transaction read only");
            s.execute("set statement_timeout = " + config.queryTimeout().toMillis());
            s.execute("set application_name = 'wwi-serve'");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    @Override
    public void openConnection(ConnectionHandle ch, Map<String, String> info) {
        ServeConfig.User user = CurrentUser.get().orElseThrow(() -> denied("Cannot open a connection: not "
                + "authenticated"));
        // client properties are ignored on purpose (they could name another database or model),
        // except this switch, which only decides whether rollups may answer
        boolean rollups = info == null || !"off".equalsIgnoreCase(info.getOrDefault("wwi_rollups", "on"));
        // the client picks the id: one already in use (by anyone) is refused, never taken over
        if (sessions.putIfAbsent(ch.id, new Session(user, rollups)) != null) {
            throw refused("Cannot open connection " + ch.id + ": the id is in use (open it with a new id)");
        }
        try {
            super.openConnection(ch, Map.of());
        } catch (RuntimeException e) {
            sessions.remove(ch.id);
            throw translate(e);
        }
    }

    @Override
    public void closeConnection(ConnectionHandle ch) {
        Session s = sessions.get(ch.id);
        if (s == null || !owned(s)) {
            return;
        }
        java.util.List.copyOf(s.owned).forEach(id -> closeStatement(new StatementHandle(ch.id, id, null)));
        sessions.remove(ch.id);
        lastUsed.remove(ch.id);
        super.closeConnection(ch);
    }

    /** The PostgreSQL connection of a client connection, reopened when its session was lost. */
    @Override
    protected Connection getConnection(String id) throws SQLException {
        session(id);
        Connection c = super.getConnection(id);
        long now = System.nanoTime();
        Long last = lastUsed.put(id, now);
        // a session idle for a while may have been terminated (PostgreSQL restarted): one round trip
        // tells, so the client's next query does not fail on it
        if (c.isClosed() || last != null && now - last > IDLE_CHECK_NANOS && !c.isValid(5)) {
            c.close();
            Connection fresh = createConnection(null, null);
            getConnectionCache().put(id, fresh);
            return fresh;
        }
        return c;
    }

    private Session session(String connectionId) {
        Session s = sessions.get(connectionId);
        if (s == null || !owned(s)) {
            // the same answer whether the connection does not exist or belongs to someone else
            throw new NoSuchConnectionException(connectionId);
        }
        return s;
    }

    /**
     * The session of a statement's connection, when the authenticated user owns that connection and
     * the statement was created on it; statement ids are numbered across all connections, so a
     * client could otherwise name another user's statement with its own connection id.
     */
    private Session session(StatementHandle h) throws NoSuchStatementException {
        Session s = session(h.connectionId);
        if (!s.owned.contains(h.id)) {
            throw new NoSuchStatementException(h);
        }
        return s;
    }

    private static boolean owned(Session s) {
        return CurrentUser.get().map(u -> u.name().equals(s.user.name())).orElse(false);
    }

    @Override
    public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties props) {
        session(ch.id);
        // auto-commit and isolation are harmless; the session stays read-only on the model's schema
        ConnectionPropertiesImpl allowed = new ConnectionPropertiesImpl(props.isAutoCommit(), Boolean.TRUE,
                props.getTransactionIsolation(), null, null);
        ConnectionProperties result;
        try {
            result = super.connectionSync(ch, allowed);
        } catch (RuntimeException e) {
            throw translate(e);
        }
        return new ConnectionPropertiesImpl(result.isAutoCommit(), Boolean.TRUE, result.getTransactionIsolation(),
                MetadataRows.CATALOG, MetadataRows.SCHEMA);
    }

    @Override
    public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
        session(ch.id);
        Map<DatabaseProperty, Object> p = new HashMap<>();
        p.put(DatabaseProperty.GET_DATABASE_PRODUCT_NAME, "WWI Semantic Layer");
        p.put(DatabaseProperty.GET_DATABASE_PRODUCT_VERSION, version());
        p.put(DatabaseProperty.GET_DATABASE_MAJOR_VERSION, 0);
        p.put(DatabaseProperty.GET_DATABASE_MINOR_VERSION, 1);
        p.put(DatabaseProperty.GET_DRIVER_NAME, "Avatica remote driver");
        p.put(DatabaseProperty.GET_DEFAULT_TRANSACTION_ISOLATION, Connection.TRANSACTION_READ_COMMITTED);
        p.put(DatabaseProperty.GET_S_Q_L_KEYWORDS, "MEASURE");
        p.put(DatabaseProperty.GET_NUMERIC_FUNCTIONS, "ABS,CEIL,FLOOR,MOD,POWER,ROUND,SQRT");
        p.put(DatabaseProperty.GET_STRING_FUNCTIONS, "CHAR_LENGTH,LOWER,POSITION,SUBSTRING,TRIM,UPPER");
        p.put(DatabaseProperty.GET_TIME_DATE_FUNCTIONS, "CURRENT_DATE,CURRENT_TIMESTAMP,EXTRACT");
        p.put(DatabaseProperty.GET_SYSTEM_FUNCTIONS, "");
        return p;
    }

    private static String version() {
        String v = SemanticMeta.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    // ------------------------------------------------------------------ statements

    @Override
    public StatementHandle createStatement(ConnectionHandle ch) {
        Session s = session(ch.id);
        StatementHandle h;
        try {
            h = super.createStatement(ch);
        } catch (RuntimeException e) {
            throw translate(e);
        }
        s.owned.add(h.id);
        Connection c = getConnectionCache().getIfPresent(ch.id);
        if (c != null) {
            s.statementConnection.put(h.id, c);
        }
        return h;
    }

    @Override
    public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
        Session s = session(ch.id);
        CompiledQuery q = compile(s, sql);
        StatementHandle h;
        try {
            h = q.kind() == QueryCompiler.Kind.EXPLAIN ? super.createStatement(ch)
                    : super.prepare(ch, limited(q, maxRowCount), -1);
        } catch (RuntimeException e) {
            throw translate(e);
        }
        List<AvaticaParameter> params = new ArrayList<>();
        for (int i = 0; i < q.parameterCount(); i++) {
            int pg = q.parameterOrder().indexOf(i);
            params.add(pg >= 0 && h.signature != null && pg < h.signature.parameters.size()
                    ? h.signature.parameters.get(pg)
                    : new AvaticaParameter(false, 0, 0, java.sql.Types.VARCHAR, "VARCHAR", String.class.getName(),
                    "?" + (i + 1)));
        }
        List<org.apache.calcite.avatica.ColumnMetaData> columns = h.signature == null
                || q.kind() == QueryCompiler.Kind.EXPLAIN ? MetadataRows.columns(ExplainRow.class)
                : h.signature.columns;
        h.signature = Signature.create(columns, sql, params, CursorFactory.LIST, StatementType.SELECT);
        s.owned.add(h.id);
        Running r = new Running(q);
        r.maxRowCount = maxRowCount;
        s.statements.put(h.id, r);
        return h;
    }

    @Override
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame,
                                           PrepareCallback callback) throws NoSuchStatementException {
        Session s = session(h);
        Running r = new Running(compile(s, sql));
        r.restart();
        s.statements.put(h.id, r);
        try {
            if (r.query.kind() == QueryCompiler.Kind.EXPLAIN) {
                ExecuteResult result = explain(h, r.query);
                finish(s, r, 1, Optional.empty());
                return result;
            }
            refreshStatement(s, h);
            ExecuteResult result = super.prepareAndExecute(h, limited(r.query, maxRowCount), -1,
                    maxRowsInFirstFrame, callback);
            return counted(s, h, r, result);
        } catch (RuntimeException e) {
            throw failed(s, r, e);
        }
    }

    @Override
    @SuppressWarnings("deprecation")
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, PrepareCallback callback)
            throws NoSuchStatementException {
        return prepareAndExecute(h, sql, maxRowCount, -1, callback);
    }

    @Override
    public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame)
            throws NoSuchStatementException {
        Session s = session(h);
        Running r = s.statements.get(h.id);
        if (r == null) {
            throw new NoSuchStatementException(h);
        }
        r.restart();
        try {
            if (r.query.kind() == QueryCompiler.Kind.EXPLAIN) {
                ExecuteResult result = explain(h, r.query);
                finish(s, r, 1, Optional.empty());
                return result;
            }
            replan(s, h, r);
            List<TypedValue> pg = new ArrayList<>();
            for (int i : r.query.parameterOrder()) {
                if (parameterValues == null || i >= parameterValues.size()) {
                    throw refused("Cannot run the statement: parameter " + (i + 1) + " is not bound");
                }
                pg.add(parameterValues.get(i));
            }
            Signature clientSignature = h.signature;
            if (clientSignature == null) {
                throw refused("Cannot run the statement: the request carries no signature (send the one prepare "
                        + "returned)");
            }
            ExecuteResult result = super.execute(h, pg, maxRowsInFirstFrame);
            h.signature = clientSignature;
            return counted(s, h, r, result);
        } catch (RuntimeException e) {
            throw failed(s, r, e);
        }
    }

    @Override
    @SuppressWarnings("deprecation")
    public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, long maxRowCount)
            throws NoSuchStatementException {
        return execute(h, parameterValues, (int) Math.min(Integer.MAX_VALUE, maxRowCount));
    }

    @Override
    public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount)
            throws NoSuchStatementException, MissingResultsException {
        Session s = session(h);
        Running r = s.statements.get(h.id);
        try {
            Frame f = super.fetch(h, offset, fetchMaxRowCount);
            if (r != null) {
                r.rows += rowCount(f);
                checkLimit(h, r);
                if (f.done) {
                    finish(s, r, r.rows, Optional.empty());
                }
            }
            return f;
        } catch (RuntimeException e) {
            throw r == null ? translate(e) : failed(s, r, e);
        }
    }

    @Override
    public void closeStatement(StatementHandle h) {
        Session s = sessions.get(h.connectionId);
        // closing a statement that is not the user's (or is gone) does nothing, as for JdbcMeta
        if (s != null && owned(s) && s.owned.remove(h.id)) {
            Running r = s.statements.remove(h.id);
            s.statementConnection.remove(h.id);
            if (r != null) {
                finish(s, r, r.rows, Optional.empty());
            }
            super.closeStatement(h);
        }
    }

    @Override
    public boolean syncResults(StatementHandle sh, QueryState state, long offset) {
        session(sh.connectionId);
        throw refused("Cannot resume a result set on this server (run the query again)");
    }

    @Override
    public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands) {
        session(h.connectionId);
        throw refused("Cannot run a batch: the semantic layer is read-only");
    }

    @Override
    public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> updateBatches) {
        session(h.connectionId);
        throw refused("Cannot run a batch: the semantic layer is read-only");
    }

    @Override
    public ExecuteBatchResult executeBatchProtobuf(StatementHandle h, List<Requests.UpdateBatch> updateBatches) {
        session(h.connectionId);
        throw refused("Cannot run a batch: the semantic layer is read-only");
    }

    @Override
    public void commit(ConnectionHandle ch) {
        session(ch.id);
        try {
            super.commit(ch);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public void rollback(ConnectionHandle ch) {
        session(ch.id);
        try {
            super.rollback(ch);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    // ------------------------------------------------------------------ helpers

    private CompiledQuery compile(Session s, String sql) {
        try {
            return layer.compile(sql, s.user.principal(), s.rollups);
        } catch (SemanticException e) {
            Running r = new Running(null);
            r.restart();
            log(s, sql, r, false, 0, List.of(), Optional.of(e.getMessage()));
            throw translate(e);
        }
    }

    /** The PostgreSQL statement of a handle, recreated when its connection was reopened. */
    private void refreshStatement(Session s, StatementHandle h) {
        try {
            Connection current = getConnection(h.connectionId);
            Connection created = s.statementConnection.get(h.id);
            if (created != null && created != current) {
                Statement fresh = current.createStatement();
                getStatementCache().put(h.id, new StatementInfo(fresh));
                s.statementConnection.put(h.id, current);
            }
        } catch (SQLException e) {
            throw translate(SemanticLayer.failure(e, config.queryTimeout()));
        }
    }

    /**
     * The pushed SQL with the row limit in it. A limit in the protocol (JDBC setMaxRows) would make
     * PostgreSQL run the portal without parallel workers; in the SQL the planner sees it and keeps
     * the plan it would choose for the hand-written query. One row over the limit tells a result
     * that is too big from one that just fits.
     */
    private String limited(CompiledQuery q, long clientMax) {
        return "SELECT * FROM (\n" + q.pushedSql() + "\n) AS wwi_result LIMIT " + limit(clientMax);
    }

    /**
     * Plans a prepared statement again when the rollups that may answer it changed since it was
     * prepared (one became stale, or was rebuilt): the PostgreSQL statement is replaced, so a
     * statement prepared while a rollup was fresh never reads it once it is stale.
     */
    private void replan(Session s, StatementHandle h, Running r) {
        CompiledQuery now = compile(s, r.query.sql());
        if (now.pushedSql().equals(r.query.pushedSql())) {
            return;
        }
        if (now.parameterCount() != r.query.parameterCount()) {
            throw refused("Cannot run the statement: its view changed since it was prepared (prepare it again)");
        }
        try {
            Connection c = getConnection(h.connectionId);
            java.sql.PreparedStatement fresh = c.prepareStatement(limited(now, r.maxRowCount));
            getStatementCache().put(h.id, new StatementInfo(fresh));
            s.statementConnection.put(h.id, c);
            // the statement JdbcMeta prepared is closed with the connection; one of ours, now
            if (r.replanned != null) {
                r.replanned.close();
            }
            r.replanned = fresh;
        } catch (SQLException e) {
            throw translate(SemanticLayer.failure(e, config.queryTimeout()));
        }
        r.query = now;
    }

    private long limit(long clientMax) {
        long server = (long) config.maxRows() + 1;
        return clientMax > 0 ? Math.min(clientMax, server) : server;
    }

    private ExecuteResult counted(Session s, StatementHandle h, Running r, ExecuteResult result) {
        for (MetaResultSet rs : result.resultSets) {
            if (rs.firstFrame != null) {
                r.rows += rowCount(rs.firstFrame);
                checkLimit(h, r);
                if (rs.firstFrame.done) {
                    finish(s, r, r.rows, Optional.empty());
                }
            }
        }
        return result;
    }

    private void checkLimit(StatementHandle h, Running r) {
        if (r.rows > config.maxRows()) {
            throw new SemanticException(SemanticErrorCode.TOO_MANY_ROWS, "Cannot return more than "
                    + config.maxRows() + " rows (serve.yaml max_rows): add filters, group more coarsely, or add LIMIT");
        }
    }

    private static long rowCount(Frame f) {
        long n = 0;
        for (Object ignored : f.rows) {
            n++;
        }
        return n;
    }

    private void finish(Session s, Running r, long rows, Optional<String> error) {
        if (r.logged || r.query == null) {
            return;
        }
        log(s, r.query.sql(), r, error.isEmpty(), rows, r.query.rollups(), error);
    }

    private void log(Session s, String sql, Running r, boolean ok, long rows, List<String> rollups,
                     Optional<String> error) {
        r.logged = true;
        layer.log.add(new QueryLog.Entry(r.started, s.user.name(), Optional.of(s.user.role()), "jdbc", sql, ok, rows,
                (System.nanoTime() - r.startNanos) / 1e6, rollups, error));
    }

    private RuntimeException failed(Session s, Running r, RuntimeException e) {
        RuntimeException t = translate(e);
        if (!r.logged && r.query != null) {
            log(s, r.query.sql(), r, false, r.rows, r.query.rollups(), Optional.ofNullable(t.getMessage()));
        }
        return t;
    }

    private ExecuteResult explain(StatementHandle h, CompiledQuery q) {
        Signature sig = Signature.create(MetadataRows.columns(ExplainRow.class), q.sql(), List.of(),
                CursorFactory.LIST, StatementType.SELECT);
        return new ExecuteResult(List.of(MetaResultSet.create(h.connectionId, h.id, false, sig,
                MetadataRows.frame(List.<Object[]>of(new Object[] {q.plan()})))));
    }

    /** The one column of an EXPLAIN result. */
    static final class ExplainRow {
        @MetaImpl.ColumnNoNulls
        public final String plan;

        ExplainRow(String plan) {
            this.plan = plan;
        }
    }

    /** Errors reach the client as one clear message with a SQL state, not a server stack trace. */
    private RuntimeException translate(RuntimeException e) {
        if (e instanceof AvaticaRuntimeException || e instanceof NoSuchConnectionException) {
            return e;
        }
        SemanticException se = e instanceof SemanticException x ? x : null;
        Throwable cause = e;
        while (se == null && cause != null) {
            if (cause instanceof SQLException sql) {
                se = SemanticLayer.failure(sql, config.queryTimeout());
            }
            cause = cause.getCause();
        }
        if (se == null) {
            return e;
        }
        String state = switch (se.code()) {
            case QUERY_INVALID -> "42000";
            case QUERY_REFUSED -> "0A000";
            case ACCESS_DENIED -> "42501";
            case TOO_MANY_ROWS -> "54000";
            case QUERY_TIMEOUT -> "57014";
            case DATABASE_FAILED -> "08006";
            default -> "XX000";
        };
        return new AvaticaRuntimeException(se.getMessage(), -1, state, AvaticaSeverity.ERROR);
    }

    private static AvaticaRuntimeException refused(String message) {
        return new AvaticaRuntimeException(message, -1, "0A000", AvaticaSeverity.ERROR);
    }

    private static AvaticaRuntimeException denied(String message) {
        return new AvaticaRuntimeException(message, -1, "28000", AvaticaSeverity.ERROR);
    }

    // ------------------------------------------------------------------ metadata, from the model only

    private MetaResultSet rows(ConnectionHandle ch, Class<?> metaClass, List<Object[]> rows) {
        session(ch.id);
        return MetaResultSet.create(ch.id, getStatementIdGenerator().getAndIncrement(), true,
                MetadataRows.signature(metaClass), MetadataRows.frame(rows));
    }

    private List<SemanticTable> tables(ConnectionHandle ch) {
        return layer.tables(session(ch.id).user.principal());
    }

    @Override
    public MetaResultSet getCatalogs(ConnectionHandle ch) {
        return rows(ch, MetaImpl.MetaCatalog.class, MetadataRows.catalogs());
    }

    @Override
    public MetaResultSet getSchemas(ConnectionHandle ch, String catalog, Pat schemaPattern) {
        return rows(ch, MetaImpl.MetaSchema.class, MetadataRows.schemas(catalog, schemaPattern.s));
    }

    @Override
    public MetaResultSet getTableTypes(ConnectionHandle ch) {
        return rows(ch, MetaImpl.MetaTableType.class, MetadataRows.tableTypes());
    }

    @Override
    public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
                                   List<String> typeList) {
        return rows(ch, MetaImpl.MetaTable.class, MetadataRows.tables(tables(ch), catalog, schemaPattern.s,
                tableNamePattern.s, typeList));
    }

    @Override
    public MetaResultSet getColumns(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
                                    Pat columnNamePattern) {
        return rows(ch, MetaImpl.MetaColumn.class, MetadataRows.columns(tables(ch), catalog, schemaPattern.s,
                tableNamePattern.s, columnNamePattern.s));
    }

    @Override
    public MetaResultSet getTypeInfo(ConnectionHandle ch) {
        return rows(ch, MetaImpl.MetaTypeInfo.class, MetadataRows.typeInfo());
    }

    @Override
    public MetaResultSet getProcedures(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat procedureNamePattern) {
        return rows(ch, MetaImpl.MetaProcedure.class, List.of());
    }

    @Override
    public MetaResultSet getProcedureColumns(ConnectionHandle ch, String catalog, Pat schemaPattern,
                                             Pat procedureNamePattern, Pat columnNamePattern) {
        return rows(ch, MetaImpl.MetaProcedureColumn.class, List.of());
    }

    @Override
    public MetaResultSet getColumnPrivileges(ConnectionHandle ch, String catalog, String schema, String table,
                                             Pat columnNamePattern) {
        return rows(ch, MetaImpl.MetaColumnPrivilege.class, List.of());
    }

    @Override
    public MetaResultSet getTablePrivileges(ConnectionHandle ch, String catalog, Pat schemaPattern,
                                            Pat tableNamePattern) {
        return rows(ch, MetaImpl.MetaTablePrivilege.class, List.of());
    }

    @Override
    public MetaResultSet getBestRowIdentifier(ConnectionHandle ch, String catalog, String schema, String table,
                                              int scope, boolean nullable) {
        return rows(ch, MetaImpl.MetaBestRowIdentifier.class, List.of());
    }

    @Override
    public MetaResultSet getVersionColumns(ConnectionHandle ch, String catalog, String schema, String table) {
        return rows(ch, MetaImpl.MetaVersionColumn.class, List.of());
    }

    @Override
    public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalog, String schema, String table) {
        return rows(ch, MetaImpl.MetaPrimaryKey.class, List.of());
    }

    @Override
    public MetaResultSet getImportedKeys(ConnectionHandle ch, String catalog, String schema, String table) {
        return rows(ch, MetaImpl.MetaImportedKey.class, List.of());
    }

    @Override
    public MetaResultSet getExportedKeys(ConnectionHandle ch, String catalog, String schema, String table) {
        return rows(ch, MetaImpl.MetaExportedKey.class, List.of());
    }

    @Override
    public MetaResultSet getCrossReference(ConnectionHandle ch, String parentCatalog, String parentSchema,
                                           String parentTable, String foreignCatalog, String foreignSchema,
                                           String foreignTable) {
        return rows(ch, MetaImpl.MetaCrossReference.class, List.of());
    }

    @Override
    public MetaResultSet getIndexInfo(ConnectionHandle ch, String catalog, String schema, String table,
                                      boolean unique, boolean approximate) {
        return rows(ch, MetaImpl.MetaIndexInfo.class, List.of());
    }

    @Override
    public MetaResultSet getUDTs(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat typeNamePattern,
                                 int[] types) {
        return rows(ch, MetaImpl.MetaUdt.class, List.of());
    }

    @Override
    public MetaResultSet getSuperTypes(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat typeNamePattern) {
        return rows(ch, MetaImpl.MetaSuperType.class, List.of());
    }

    @Override
    public MetaResultSet getSuperTables(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern) {
        return rows(ch, MetaImpl.MetaSuperTable.class, List.of());
    }

    @Override
    public MetaResultSet getAttributes(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat typeNamePattern,
                                       Pat attributeNamePattern) {
        return rows(ch, MetaImpl.MetaAttribute.class, List.of());
    }

    @Override
    public MetaResultSet getClientInfoProperties(ConnectionHandle ch) {
        return rows(ch, MetaImpl.MetaClientInfoProperty.class, List.of());
    }

    @Override
    public MetaResultSet getFunctions(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat functionNamePattern) {
        return rows(ch, MetaImpl.MetaFunction.class, List.of());
    }

    @Override
    public MetaResultSet getFunctionColumns(ConnectionHandle ch, String catalog, Pat schemaPattern,
                                            Pat functionNamePattern, Pat columnNamePattern) {
        return rows(ch, MetaImpl.MetaFunctionColumn.class, List.of());
    }

    @Override
    public MetaResultSet getPseudoColumns(ConnectionHandle ch, String catalog, Pat schemaPattern,
                                          Pat tableNamePattern, Pat columnNamePattern) {
        return rows(ch, MetaImpl.MetaPseudoColumn.class, List.of());
    }
}
