package org.wwi.jobs;

import org.wwi.control.SecretStore;
import org.wwi.platform.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a target group into target databases, at the moment a step starts:
 * <ul>
 *   <li>PostgresDatabase: that database;</li>
 *   <li>PostgresElasticPool: the databases registered in the pool now;</li>
 *   <li>PostgresServer: the databases on the server now, listed through its maintenance database
 *       with the member's refresh credential, leaving out {@link #SYSTEM_DATABASES}, templates,
 *       databases that do not allow connections, the server's maintenance database and, on the
 *       control database's own server, the control database.</li>
 * </ul>
 * Exclude members remove their databases whatever includes them (exclusions win). A server that
 * cannot be listed becomes a failed target of its own; the other members still resolve.
 */
public final class TargetResolver {
    /** Never targets of a server member: PostgreSQL's and cloud providers' system databases. */
    public static final Set<String> SYSTEM_DATABASES = Set.of("postgres", "template0", "template1", "rdsadmin",
            "azure_maintenance", "azure_sys", "cloudsqladmin", "_dodb", "defaultdb_internal");

    private final Database control;
    private final SecretStore secrets;

    TargetResolver(Database control, SecretStore secrets) {
        this.control = control;
        this.secrets = secrets;
    }

    /** A server member whose databases could not be listed. */
    public record ServerFailure(String server, String message) {
    }

    /** The targets of a group, and the servers that could not be listed. */
    public record Resolution(List<Target> targets, List<ServerFailure> failures) {
        public Resolution {
            targets = List.copyOf(targets);
            failures = List.copyOf(failures);
        }
    }

    private record MemberRow(String membership, String type, String server, String database, String pool,
                             String refreshCredential, TargetConnector.ServerRef ref) {
    }

    Resolution resolve(Connection c, String group) throws SQLException {
        List<MemberRow> members = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select m.membership_type, m.target_type, m.server_name, "
                + "m.database_name, m.elastic_pool_name, m.refresh_credential_name, s.host, s.port, s.maintenance_database "
                + "from jobs.target_group_member m join jobs.target_group g on g.target_group_id = m.target_group_id "
                + "join jobs.server s on s.server_name = m.server_name where g.target_group_name = ? "
                + "order by m.created_at, m.target_id")) {
            ps.setString(1, group);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    members.add(new MemberRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), new TargetConnector.ServerRef(rs.getString(3),
                            rs.getString(7), rs.getInt(8), rs.getString(9))));
                }
            }
        }
        Map<String, List<String>> poolDatabases = poolDatabases(c);
        Set<String> included = new LinkedHashSet<>();
        Set<String> excluded = new LinkedHashSet<>();
        Set<String> excludedServers = new LinkedHashSet<>();
        List<ServerFailure> failures = new ArrayList<>();
        for (MemberRow m : members) {
            boolean include = m.membership().equals("Include");
            switch (m.type()) {
                case "PostgresDatabase" -> (include ? included : excluded).add(key(m.server(), m.database()));
                case "PostgresElasticPool" -> poolDatabases.getOrDefault(m.server() + "\u0000" + m.pool(), List.of())
                        .forEach(d -> (include ? included : excluded).add(key(m.server(), d)));
                case "PostgresServer" -> {
                    if (!include) {
                        excludedServers.add(m.server());
                        continue;
                    }
                    try {
                        for (String d : listDatabases(m)) {
                            included.add(key(m.server(), d));
                        }
                    } catch (ElasticJobsException e) {
                        failures.add(new ServerFailure(m.server(), e.getMessage()));
                    }
                }
                default -> throw new IllegalStateException("unknown target type " + m.type());
            }
        }
        Map<String, String> poolOf = new HashMap<>();
        poolDatabases.forEach((k, dbs) -> dbs.forEach(d -> poolOf.put(key(k.substring(0, k.indexOf('\u0000')), d),
                k.substring(k.indexOf('\u0000') + 1))));
        List<Target> targets = new ArrayList<>();
        for (String k : included) {
            String server = k.substring(0, k.indexOf('\u0000'));
            if (excluded.contains(k) || excludedServers.contains(server)) {
                continue;
            }
            targets.add(new Target(server, k.substring(k.indexOf('\u0000') + 1), Optional.ofNullable(poolOf.get(k))));
        }
        failures.removeIf(f -> excludedServers.contains(f.server()));
        return new Resolution(targets, failures);
    }

    private static String key(String server, String database) {
        return server + "\u0000" + database;
    }

    private static Map<String, List<String>> poolDatabases(Connection c) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select server_name, elastic_pool_name, "
                + "database_name from jobs.elastic_pool_database order by 1, 2, 3")) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1) + "\u0000" + rs.getString(2), k -> new ArrayList<>())
                        .add(rs.getString(3));
            }
        }
        return out;
    }

    private List<String> listDatabases(MemberRow m) {
        TargetConnector connector = new TargetConnector(control, secrets);
        boolean controlServer = connector.isControlServer(m.ref());
        List<String> out = new ArrayList<>();
        try (Connection c = connector.connect(m.ref(), m.ref().maintenanceDatabase(),
                Optional.ofNullable(m.refreshCredential()), "refresh credential of server member " + m.server(), 30_000);
             PreparedStatement ps = c.prepareStatement("select datname from pg_database where datallowconn "
                     + "and not datistemplate and datname <> all(?) order by datname")) {
            List<String> skip = new ArrayList<>(SYSTEM_DATABASES);
            skip.add(m.ref().maintenanceDatabase());
            if (controlServer) {
                skip.add(control.address().database());
            }
            ps.setArray(1, c.createArrayOf("text", skip.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new ElasticJobsException(JobsErrorCode.TARGET_UNREACHABLE, "Cannot list the databases of server "
                    + m.server() + " (" + m.ref().host() + ":" + m.ref().port() + "): " + TargetConnector.describe(e), e);
        }
        return out;
    }
}
