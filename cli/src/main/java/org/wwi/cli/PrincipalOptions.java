package org.wwi.cli;

import org.wwi.semantic.Principal;
import org.wwi.semantic.ServeConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Who a semantic-layer command runs as: {@code --user} of serve.yaml, or {@code --role} with attributes. */
final class PrincipalOptions {
    @Option(names = "--role", paramLabel = "ROLE", description = "run as this role of the model (views, hidden "
            + "members, row filter); default: unrestricted")
    String role;

    @Option(names = "--attribute", paramLabel = "K=V", description = "user attribute for the role's row filter, "
            + "e.g. region=Europe (repeatable)")
    Map<String, String> attributes = new LinkedHashMap<>();

    @Option(names = "--user", paramLabel = "USER", description = "run as a user of serve.yaml (their role and attributes)")
    String user;

    Principal principal(Path home, CommandLine.Model.CommandSpec spec) {
        if (user != null) {
            Path file = home.resolve(ServeConfig.FILE);
            if (!Files.isRegularFile(file)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Cannot use --user: " + file
                        + " does not exist");
            }
            ServeConfig.User u = ServeConfig.load(file, System.getenv()).users().get(user);
            if (u == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Cannot use --user " + user
                        + ": not a user of " + file);
            }
            Map<String, String> a = new LinkedHashMap<>(u.attributes());
            a.putAll(attributes);
            return Principal.of(u.name(), u.role(), a);
        }
        if (role != null) {
            return Principal.of(System.getProperty("user.name", "cli"), role, attributes);
        }
        if (!attributes.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--attribute needs --role or --user");
        }
        return Principal.operator();
    }
}
