package org.wwi.cli;

import org.wwi.platform.ConfigLoader;
import org.wwi.platform.Database;
import org.wwi.platform.Databases;
import org.wwi.platform.WwiConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The root command: global options and the shared context of every subcommand. */
@Command(name = "wwi",
        mixinStandardHelpOptions = true,
        versionProvider = WwiCommand.Version.class,
        description = "WWI Warehouse: the Wide World Importers data warehouse on PostgreSQL.",
        subcommands = {
                DemoCommand.class,
                DbCommand.class,
                MigrateCommands.Migrate.class,
                MigrateCommands.Info.class,
                MigrateCommands.Validate.class,
                GenerateCommand.class,
                ConfigCommand.class,
                JobsCommand.class,
                PoolsCommand.class,
                AgentCommand.class,
                EltCommand.class,
                BenchCommand.class,
                SqlCommand.class,
                ExternalCommand.class,
                ServeCommand.class,
                QueryCommand.class,
                ReportsCommand.class,
                CommandLine.HelpCommand.class
        },
        footer = {"", "Configuration: wwi.yaml in the project folder, WWI_* environment variables, options;",
                "see README.md. Exit codes: 0 ok, 1 bad input, 2 usage, 3 external failure, 70 internal."})
final class WwiCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--project", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Project folder (default: WWI_HOME, else the folder of the wwi launcher, else .)")
    Path project;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Configuration file (default: wwi.yaml in the project folder, when present)")
    Path configFile;

    @Option(names = "--db", scope = ScopeType.INHERIT, paramLabel = "JDBC_URL",
            description = "External PostgreSQL 14+ (jdbc:postgresql://host:port/db); default: embedded")
    String dbUrl;

    @Option(names = "--db-user", scope = ScopeType.INHERIT, paramLabel = "USER", description = "User for --db")
    String dbUser;

    private WwiConfig config;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
    }

    /** The configuration of this invocation, loaded once. */
    WwiConfig config() {
        if (config == null) {
            Map<String, String> options = new LinkedHashMap<>();
            if (dbUrl != null) {
                options.put("db.url", dbUrl);
            }
            if (dbUser != null) {
                options.put("db.user", dbUser);
            }
            config = ConfigLoader.load(home(), Optional.ofNullable(configFile), System.getenv(), options);
        }
        return config;
    }

    /** Opens the configured database (starting the embedded one for this command when needed). */
    Database openDatabase() {
        return Databases.open(config().db());
    }

    Path home() {
        if (project != null) {
            return project.toAbsolutePath().normalize();
        }
        String env = System.getenv("WWI_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        String prop = System.getProperty("wwi.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        return Path.of("").toAbsolutePath();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = WwiCommand.class.getPackage().getImplementationVersion();
            return new String[] {"wwi " + (v == null ? "(development)" : v) + ", Java "
                    + System.getProperty("java.version")};
        }
    }
}
