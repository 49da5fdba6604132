package org.wwi.platform;

import javax.sql.DataSource;

/**
 * A PostgreSQL server and the warehouse database on it, whatever its origin: the embedded
 * default, an external server by JDBC URL, or a test server. Closing it stops an embedded
 * server that this process started, and nothing else.
 */
public interface Database extends AutoCloseable {

    /** The warehouse database. */
    DataSource dataSource();

    /** Another database on the same server, with the same credentials. */
    DataSource dataSource(String database);

    /** JDBC URL of the warehouse database, without any password: safe to print. */
    String jdbcUrl();

    /** JDBC URL of another database on the same server, without any password. */
    String jdbcUrl(String database);

    /** Host, port, user and database name. */
    ServerAddress address();

    /** One line for humans, e.g. "embedded PostgreSQL 17.6 on localhost:54329 (.wwi/pg)". */
    String description();

    @Override
    void close();

    /** Where a server is and who we are on it; the password is never part of it. */
    record ServerAddress(String host, int port, String user, String database) {
        @Override
        public String toString() {
            return host + ":" + port + "/" + database + " as " + user;
        }
    }
}
