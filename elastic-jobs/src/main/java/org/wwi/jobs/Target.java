package org.wwi.jobs;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** A target database: a registered server, a database on it, and the elastic pool it belongs to. */
public record Target(String server, String database, Optional<String> elasticPool) {
    public Target {
        requireNonNull(server, "server is null");
        requireNonNull(database, "database is null");
        requireNonNull(elasticPool, "elasticPool is null");
    }

    @Override
    public String toString() {
        return server + "/" + database;
    }
}
