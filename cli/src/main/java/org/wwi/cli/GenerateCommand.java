package org.wwi.cli;

import org.wwi.platform.Progress;
import org.wwi.sample.GenerationResult;
import org.wwi.sample.WeblogGenerator;
import org.wwi.sample.WeblogSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code wwi generate weblogs}: sample data laid out as a Spark job writes it. */
@Command(name = "generate", description = "Generate sample data.", subcommands = GenerateCommand.Weblogs.class)
final class GenerateCommand implements Runnable {
    @ParentCommand
    WwiCommand root;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(root.spec.commandLine().getSubcommands().get("generate"),
                "Missing subcommand: weblogs");
    }

    static void printResult(WwiCommand root, GenerationResult r) {
        TextTable t = new TextTable("dataset", "rows");
        for (Map.Entry<String, Long> e : r.rowsPerDataset().entrySet()) {
            t.row(e.getKey(), String.format("%,d", e.getValue()));
        }
        t.print(root.out());
        root.out().printf("%,d events (%,d raw rows with dirty dates), %,d files, %.1f MB in %.1f s -> %s%n",
                r.events(), r.dirtyRawRows(), r.files(), r.bytes() / 1e6, r.elapsed().toMillis() / 1e3, r.out());
    }

    @Command(name = "weblogs", description = {
            "Write WWI's web logs as a Databricks notebook prepares them: raw pipe-separated weblog.txt,",
            "Spark-style snappy Parquet partitioned by TransactionDay (with _SUCCESS and .crc files),",
            "an INT96 variant, products, users, ratings, recommendations, store sales and chat transcripts.",
            "Deterministic for a seed. See docs/SAMPLE-DATA.md."})
    static final class Weblogs implements Callable<Integer> {
        @ParentCommand
        GenerateCommand parent;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (empty, or a previous generation)")
        Path out;

        @Option(names = "--rows", paramLabel = "N", defaultValue = "200000", description = "Web events (default ${DEFAULT-VALUE})")
        long rows;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--days", paramLabel = "D", defaultValue = "30", description = "Days of data (default ${DEFAULT-VALUE})")
        int days;

        @Option(names = "--start-date", paramLabel = "yyyy-MM-dd", defaultValue = "2026-08-01",
                description = "First day (default ${DEFAULT-VALUE})")
        LocalDate startDate;

        @Option(names = "--users", paramLabel = "N", defaultValue = "5000", description = "Users (default ${DEFAULT-VALUE})")
        int users;

        @Option(names = "--products", paramLabel = "N", defaultValue = "500", description = "Products (default ${DEFAULT-VALUE})")
        int products;

        @Override
        public Integer call() {
            WeblogSpec spec = new WeblogSpec(out.toAbsolutePath().normalize(), rows, seed, startDate, days, users,
                    products);
            GenerationResult r;
            try (Progress p = Progress.onTerminal("generating web events", rows, "events")) {
                r = WeblogGenerator.generate(spec, p);
            }
            printResult(parent.root, r);
            return 0;
        }
    }
}
