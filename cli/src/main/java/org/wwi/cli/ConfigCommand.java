package org.wwi.cli;

import org.wwi.platform.ConfigLoader;
import org.wwi.platform.DbConfig;
import org.wwi.platform.WwiConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code wwi config}: the effective configuration and where each value came from. */
@Command(name = "config", description = "Show the effective configuration and the source of each setting.")
final class ConfigCommand implements Callable<Integer> {
    @ParentCommand
    WwiCommand root;

    @Override
    public Integer call() {
        WwiConfig c = root.config();
        DbConfig db = c.db();
        root.out().println("project folder: " + c.home());
        TextTable t = new TextTable("setting", "value", "from", "environment variable");
        for (ConfigLoader.Setting s : ConfigLoader.SETTINGS) {
            String value = switch (s.key()) {
                case "db.url" -> db.url().map(DbConfig::redact).orElse("(embedded)");
                case "db.user" -> db.user().orElse("");
                case "db.password" -> db.password().isPresent() ? "***" : "";
                case "db.embedded.port" -> String.valueOf(db.embeddedPort());
                case "db.embedded.dir" -> db.embeddedDir().toString();
                case "db.database" -> db.database();
                default -> "";
            };
            t.row(s.key(), value, c.source().getOrDefault(s.key(), "default"), s.env());
        }
        t.print(root.out());
        return 0;
    }
}
