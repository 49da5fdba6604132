package org.wwi.semantic;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/** Test fixture: server users (hashes made with few iterations, to keep tests fast) and connections. */
final class TestingServer {
    static final Map<String, ServeConfig.User> USERS = Map.of(
            "ana", new ServeConfig.User("ana", PasswordHash.hash("ana-secret".toCharArray(), 20_000), "analyst", Map.of()),
            "eve", new ServeConfig.User("eve", PasswordHash.hash("eve-secret".toCharArray(), 20_000),
                    "regional_manager", Map.of("region", "Europe")),
            "mark", new ServeConfig.User("mark", PasswordHash.hash("mark-secret".toCharArray(), 20_000), "marketing",
                    Map.of()));

    private TestingServer() {
    }

    static ServeConfig config() {
        return ServeConfig.defaults().withPort(0).withUsers(USERS);
    }

    static Connection connect(SemanticServer server, String user, String password) throws SQLException {
        return connect(server.jdbcUrl(), user, password, new Properties());
    }

    static Connection connect(String jdbcUrl, String user, String password, Properties extra) throws SQLException {
        Properties p = new Properties();
        p.putAll(extra);
        p.setProperty("avatica_user", user);
        p.setProperty("avatica_password", password);
        return DriverManager.getConnection(jdbcUrl, p);
    }
}
