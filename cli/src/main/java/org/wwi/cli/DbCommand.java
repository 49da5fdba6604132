package org.wwi.cli;

import org.wwi.platform.DbConfig;
import org.wwi.platform.EmbeddedServer;
import org.wwi.platform.PlatformErrorCode;
import org.wwi.platform.PlatformException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code wwi db start|stop|status|url}: the embedded PostgreSQL as a background server. */
@Command(name = "db", description = "Manage the embedded PostgreSQL (data under .wwi/pg).",
        subcommands = {DbCommand.Start.class, DbCommand.Stop.class, DbCommand.Status.class, DbCommand.Url.class})
final class DbCommand implements Runnable {
    @ParentCommand
    WwiCommand root;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(root.spec.commandLine().getSubcommands().get("db"),
                "Missing subcommand: start, stop, status or url");
    }

    EmbeddedServer server() {
        DbConfig db = root.config().db();
        if (!db.isEmbedded()) {
            throw new PlatformException(PlatformErrorCode.CONFIG_INVALID, "Cannot manage the embedded PostgreSQL: "
                    + "an external database is configured (" + DbConfig.redact(db.url().orElseThrow())
                    + "); unset --db / WWI_DB_URL / db.url to use the embedded one");
        }
        return new EmbeddedServer(db);
    }

    static String psqlUrl(DbConfig db, int port) {
        return "postgresql://postgres@localhost:" + port + "/" + db.database();
    }

    static String jdbcUrl(DbConfig db, int port) {
        return "jdbc:postgresql://localhost:" + port + "/" + db.database() + "?user=postgres";
    }

    @Command(name = "start", description = "Start the embedded PostgreSQL in the background.")
    static final class Start implements Callable<Integer> {
        @ParentCommand
        DbCommand db;

        @Override
        public Integer call() {
            EmbeddedServer server = db.server();
            EmbeddedServer.Status running = server.status();
            if (running.running()) {
                throw new PlatformException(PlatformErrorCode.EMBEDDED_ALREADY_RUNNING,
                        "Cannot start the embedded PostgreSQL: it is already running. " + running.describe());
            }
            long t0 = System.nanoTime();
            db.root.err().println("Starting the embedded PostgreSQL (data in " + server.dir() + ") ...");
            EmbeddedServer.Status st = server.startDetached(Duration.ofSeconds(120));
            DbConfig cfg = db.root.config().db();
            var out = db.root.out();
            out.printf("embedded PostgreSQL started on localhost:%d (pid %d) in %.1f s%n", st.port(), st.pid(),
                    (System.nanoTime() - t0) / 1e9);
            out.println("  JDBC URL : " + jdbcUrl(cfg, st.port()));
            out.println("  psql     : psql \"" + psqlUrl(cfg, st.port()) + "\"");
            out.println("  stop     : ./wwi db stop");
            return 0;
        }
    }

    @Command(name = "stop", description = "Stop the background embedded PostgreSQL.")
    static final class Stop implements Callable<Integer> {
        @ParentCommand
        DbCommand db;

        @Override
        public Integer call() {
            EmbeddedServer.Status st = db.server().stop(Duration.ofSeconds(60));
            db.root.out().println("embedded PostgreSQL on localhost:" + st.port() + " stopped (pid " + st.pid() + ")");
            return 0;
        }
    }

    @Command(name = "status", description = "Tell whether the embedded PostgreSQL runs (exit code 3 when not).")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        DbCommand db;

        @Override
        public Integer call() {
            EmbeddedServer.Status st = db.server().status();
            db.root.out().println(st.describe());
            return st.running() ? 0 : 3;
        }
    }

    @Command(name = "url", description = "Print the connection URL of the warehouse database.")
    static final class Url implements Callable<Integer> {
        @ParentCommand
        DbCommand db;

        @Option(names = "--psql", description = "A libpq URI for psql instead of the JDBC URL")
        boolean psql;

        @Override
        public Integer call() {
            DbConfig cfg = db.root.config().db();
            if (!cfg.isEmbedded()) {
                db.root.out().println(psql
                        ? DbConfig.redact(cfg.url().orElseThrow()).replaceFirst("^jdbc:", "")
                        : DbConfig.redact(cfg.url().orElseThrow()));
                return 0;
            }
            EmbeddedServer.Status st = new EmbeddedServer(cfg).status();
            int port = st.running() ? st.port() : cfg.embeddedPort();
            db.root.out().println(psql ? psqlUrl(cfg, port) : jdbcUrl(cfg, port));
            if (!st.running()) {
                db.root.err().println("note: the embedded PostgreSQL is not running; start it with ./wwi db start");
            }
            return 0;
        }
    }
}
