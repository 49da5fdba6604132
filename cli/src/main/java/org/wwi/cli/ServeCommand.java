package org.wwi.cli;

import org.wwi.platform.Database;
import org.wwi.semantic.PasswordHash;
import org.wwi.semantic.Rollups;
import org.wwi.semantic.SemanticLayer;
import org.wwi.semantic.SemanticModel;
import org.wwi.semantic.SemanticServer;
import org.wwi.semantic.ServeConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code wwi serve}: the semantic layer as a JDBC server for BI tools (Avatica over HTTP,
 * protobuf), configured by {@code semantic-model/serve.yaml}. Prints the JDBC URL and a ready
 * sqlline command, then serves until stopped.
 */
@Command(name = "serve", description = {
        "Serve the semantic layer to BI tools over JDBC (Avatica remote driver, HTTP + protobuf, BASIC auth).",
        "Users, roles, port, TLS and limits come from semantic-model/serve.yaml. Stop with Ctrl-C."})
final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    WwiCommand root;

    @Option(names = "--port", paramLabel = "PORT", description = "port to listen on (default: serve.yaml, else 8765)")
    Integer port;

    @Option(names = "--host", paramLabel = "HOST", description = "interface to listen on (default: serve.yaml, else "
            + "localhost)")
    String host;

    @Option(names = "--serve-config", paramLabel = "FILE", description = "server configuration (default: "
            + ServeConfig.FILE + " in the project)")
    Path serveConfig;

    @Option(names = "--check", description = "start, print how to connect, and stop at once (checks the model "
            + "against the warehouse, the users and the port)")
    boolean check;

    @Option(names = "--hash-password", description = "read a password (without echo on a terminal, else one line "
            + "of standard input) and print its hash for serve.yaml")
    boolean hashPassword;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (hashPassword) {
            char[] pw = readPassword();
            try {
                root.out().println(PasswordHash.hash(pw));
            } finally {
                Arrays.fill(pw, '\0');
            }
            return 0;
        }
        Path file = serveConfig != null ? serveConfig : root.home().resolve(ServeConfig.FILE);
        if (!Files.isRegularFile(file)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Cannot serve: " + file + " does not exist "
                    + "(create it with users and roles; see docs/SEMANTIC-LAYER.md)");
        }
        ServeConfig config = ServeConfig.load(file, System.getenv());
        if (port != null) {
            config = config.withPort(port);
        }
        if (host != null) {
            config = config.withHost(host);
        }
        SemanticModel model = SemanticModel.forProject(root.home());
        Database db = root.openDatabase();
        SemanticLayer layer = null;
        SemanticServer server = null;
        try {
            layer = SemanticLayer.open(db, model, SemanticLayer.Options.defaults().withLogSource("jdbc")
                    .withLimits(config.queryTimeout(), config.maxRows()));
            server = SemanticServer.start(layer, config);
            printBanner(model, layer, config, server);
            if (check) {
                return 0;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            SemanticServer s = server;
            SemanticLayer l = layer;
            Thread hook = new Thread(() -> {
                root.err().println("stopping the JDBC server");
                s.close();
                l.close();
                db.close();
                stopped.countDown();
            }, "wwi-serve-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            server.join();
            stopped.await();
            return 0;
        } finally {
            if (check || server == null) {
                if (server != null) {
                    server.close();
                }
                if (layer != null) {
                    layer.close();
                }
                db.close();
            }
        }
    }

    private void printBanner(SemanticModel model, SemanticLayer layer, ServeConfig config, SemanticServer server) {
        List<Rollups.Status> rollups = layer.rollups().status();
        long fresh = rollups.stream().filter(r -> r.state().startsWith("fresh")).count();
        root.out().println("WWI semantic layer: " + model.viewNames().size() + " views (" + String.join(", ",
                model.viewNames()) + "), " + rollups.size() + " rollups (" + fresh + " fresh) from " + model.source());
        root.out().println("Serving " + server.url() + " to " + config.users().size() + " users ("
                + String.join(", ", config.users().keySet()) + "); queries stop after "
                + config.queryTimeout().toSeconds() + " s or " + String.format("%,d", config.maxRows()) + " rows");
        root.out().println();
        root.out().println("JDBC URL:  " + server.jdbcUrl());
        root.out().println("Driver:    org.apache.calcite.avatica.remote.Driver (Maven Central "
                + "org.apache.calcite.avatica:avatica-core:1.28.0, or the standalone avatica-1.28.0.jar)");
        root.out().println("Log in:    driver properties avatica_user and avatica_password");
        root.out().println();
        Path tools = root.config().stateDir().resolve("tools");
        root.out().println("sqlline (fetch it once, then connect):");
        root.out().println("  mvn -q dependency:copy -Dartifact=sqlline:sqlline:1.12.0:jar:jar-with-dependencies "
                + "-DoutputDirectory=" + tools);
        root.out().println("  java -cp \"" + tools + "/*:" + libDir() + "/*\" sqlline.SqlLine -d "
                + "org.apache.calcite.avatica.remote.Driver -u \"" + server.jdbcUrl() + ";avatica_user="
                + config.users().keySet().iterator().next() + ";avatica_password=PASSWORD\"");
        root.out().println();
        root.out().println(check ? "Checked: the server started and stopped." : "Press Ctrl-C to stop.");
        root.out().flush();
    }

    /** The folder with the wwi jar's libraries (the Avatica driver among them). */
    private Path libDir() {
        try {
            Path jar = Path.of(ServeCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path lib = (Files.isRegularFile(jar) ? jar.getParent() : root.home().resolve("cli/target")).resolve("lib");
            return lib.toAbsolutePath().normalize();
        } catch (Exception e) {
            return root.home().resolve("cli/target/lib");
        }
    }

    private char[] readPassword() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] a = console.readPassword("Password: ");
            char[] b = console.readPassword("Again: ");
            if (a == null || b == null || !Arrays.equals(a, b)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "The passwords differ");
            }
            Arrays.fill(b, '\0');
            return a;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null || line.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "No password on standard input");
        }
        return line.toCharArray();
    }
}
