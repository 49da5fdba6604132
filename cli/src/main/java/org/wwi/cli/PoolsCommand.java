package org.wwi.cli;

import org.wwi.jobs.ElasticJobs;
import org.wwi.platform.Database;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code wwi pools …}: the servers and elastic pools that elastic jobs target. */
@Command(name = "pools", description = {"Servers and elastic pools of databases for elastic jobs.",
        "A pool is a named set of databases on a server with its own max_parallelism (targets of the pool",
        "running at once)."},
        subcommands = {PoolsCommand.ListPools.class, PoolsCommand.Add.class, PoolsCommand.Remove.class,
                PoolsCommand.Set.class, PoolsCommand.AddDatabase.class, PoolsCommand.RemoveDatabase.class,
                PoolsCommand.Servers.class, PoolsCommand.AddServer.class, PoolsCommand.RemoveServer.class})
final class PoolsCommand implements Runnable {
    @ParentCommand
    WwiCommand root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand of wwi pools");
    }

    ElasticJobs open(Database db) {
        return ElasticJobs.open(db, root.home(), root.config().stateDir());
    }

    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        PoolsCommand pools;

        abstract String run(ElasticJobs ej);

        @Override
        public Integer call() {
            try (Database db = pools.root.openDatabase()) {
                String message = run(pools.open(db));
                if (!message.isEmpty()) {
                    pools.root.out().println(message);
                }
            }
            return 0;
        }
    }

    @Command(name = "list", description = "Elastic pools with their limit and databases.")
    static final class ListPools extends Sub {
        @Override
        String run(ElasticJobs ej) {
            TextTable t = new TextTable("server", "pool", "max parallelism", "databases");
            for (ElasticJobs.PoolInfo p : ej.pools()) {
                t.row(p.server(), p.name(), p.maxParallelism().map(String::valueOf).orElse("none"),
                        String.join(", ", p.databases()));
            }
            t.print(pools.root.out());
            return "";
        }
    }

    @Command(name = "add", description = "Add an elastic pool on a registered server, with its databases.")
    static final class Add extends Sub {
        @Parameters(index = "0", paramLabel = "POOL")
        String pool;

        @Option(names = "--server", required = true)
        String server;

        @Option(names = "--max-parallelism", paramLabel = "N")
        Integer maxParallelism;

        @Option(names = "--database", paramLabel = "DB", description = "A database of the pool (repeatable)")
        List<String> databases = List.of();

        @Override
        String run(ElasticJobs ej) {
            ej.addPool(server, pool, maxParallelism);
            databases.forEach(d -> ej.addPoolDatabase(server, pool, d));
            return "added elastic pool " + pool + " on server " + server + " with " + databases.size() + " database(s)";
        }
    }

    @Command(name = "remove", description = "Delete an elastic pool (not its databases).")
    static final class Remove extends Sub {
        @Parameters(paramLabel = "POOL")
        String pool;

        @Option(names = "--server", required = true)
        String server;

        @Override
        String run(ElasticJobs ej) {
            ej.deletePool(server, pool);
            return "deleted elastic pool " + pool + " on server " + server;
        }
    }

    @Command(name = "set", description = "Change a pool's max_parallelism (none removes the limit).")
    static final class Set extends Sub {
        @Parameters(paramLabel = "POOL")
        String pool;

        @Option(names = "--server", required = true)
        String server;

        @Option(names = "--max-parallelism", required = true, paramLabel = "N|none")
        String maxParallelism;

        @Override
        String run(ElasticJobs ej) {
            Integer n = maxParallelism.equals("none") ? null : Integer.valueOf(maxParallelism);
            ej.setPoolMaxParallelism(server, pool, n);
            return "elastic pool " + pool + ": max_parallelism " + (n == null ? "none" : n);
        }
    }

    @Command(name = "add-database", description = "Add databases to a pool.")
    static final class AddDatabase extends Sub {
        @Parameters(index = "0", paramLabel = "POOL")
        String pool;

        @Parameters(index = "1..*", paramLabel = "DB")
        List<String> databases;

        @Option(names = "--server", required = true)
        String server;

        @Override
        String run(ElasticJobs ej) {
            databases.forEach(d -> ej.addPoolDatabase(server, pool, d));
            return "added " + databases.size() + " database(s) to elastic pool " + pool;
        }
    }

    @Command(name = "remove-database", description = "Take databases out of their pool.")
    static final class RemoveDatabase extends Sub {
        @Parameters(paramLabel = "DB")
        List<String> databases;

        @Option(names = "--server", required = true)
        String server;

        @Override
        String run(ElasticJobs ej) {
            databases.forEach(d -> ej.removePoolDatabase(server, d));
            return "removed " + databases.size() + " database(s) from their pool";
        }
    }

    @Command(name = "servers", description = "Registered servers.")
    static final class Servers extends Sub {
        @Override
        String run(ElasticJobs ej) {
            TextTable t = new TextTable("server", "host", "port", "maintenance database");
            ej.servers().forEach(s -> t.row(s.name(), s.host(), s.port(), s.maintenanceDatabase()));
            t.print(pools.root.out());
            return "";
        }
    }

    @Command(name = "add-server", description = "Register a PostgreSQL server (host and port) under a name.")
    static final class AddServer extends Sub {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--host", required = true)
        String host;

        @Option(names = "--port", defaultValue = "5432")
        int port;

        @Option(names = "--maintenance-database", defaultValue = "postgres",
                description = "Database used to list the server's databases (default ${DEFAULT-VALUE})")
        String maintenance;

        @Override
        String run(ElasticJobs ej) {
            ej.addServer(name, host, port, maintenance);
            return "registered server " + name + " at " + host + ":" + port;
        }
    }

    @Command(name = "remove-server", description = "Unregister a server that no target group uses.")
    static final class RemoveServer extends Sub {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        String run(ElasticJobs ej) {
            ej.deleteServer(name);
            return "unregistered server " + name;
        }
    }
}
