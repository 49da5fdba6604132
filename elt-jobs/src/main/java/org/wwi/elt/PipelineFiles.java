package org.wwi.elt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The pipelines of a project: {@code elt-jobs/pipelines/*.yaml}, one pipeline per file, with the
 * SQL files they name beside them (e.g. {@code elt-jobs/pipelines/sql/…}). Installs without the
 * folder get the WWI pipelines shipped in the jar.
 */
public final class PipelineFiles {
    static final String FOLDER = "elt-jobs/pipelines";
    static final String CLASSPATH_FOLDER = "wwi/elt-jobs/pipelines";
    /** The shipped pipelines, in the jar (the list keeps the jar free of directory listings). */
    static final List<String> SHIPPED = List.of("weblogs_daily", "raw_weblog_cleanup", "recommendations",
            "chat_transcripts");

    private PipelineFiles() {
    }

    /** The pipelines of the project in {@code home}, else the shipped ones; sorted by name. */
    public static List<Pipeline> readProject(Path home) {
        Path dir = requireNonNull(home, "home is null").resolve(FOLDER);
        if (Files.isDirectory(dir)) {
            return readFolder(dir);
        }
        return readShipped();
    }

    /** The pipelines of {@code dir} (every {@code *.yaml} / {@code *.yml} file), sorted by name. */
    public static List<Pipeline> readFolder(Path dir) {
        requireNonNull(dir, "dir is null");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml") && Files.isRegularFile(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new EltException(EltErrorCode.IO_FAILED, "Cannot list pipelines in " + dir + ": " + e.getMessage(), e);
        }
        List<Pipeline> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            String stem = name.substring(0, name.lastIndexOf('.'));
            Path base = f.getParent();
            Pipeline p = PipelineReader.read(display(f), stem, read(f), rel -> {
                Path sql = base.resolve(rel).normalize();
                return sql.startsWith(base) && Files.isRegularFile(sql) ? Optional.of(read(sql)) : Optional.empty();
            });
            String other = seen.put(p.name(), display(f));
            if (other != null) {
                throw new EltException(EltErrorCode.PIPELINE_INVALID, "Cannot read pipeline " + display(f)
                        + ": pipeline " + p.name() + " is defined in " + other + " too (keep one file per pipeline)");
            }
            out.add(p);
        }
        return out;
    }

    /** The WWI pipelines in the jar. */
    public static List<Pipeline> readShipped() {
        List<Pipeline> out = new ArrayList<>();
        for (String name : SHIPPED) {
            String file = CLASSPATH_FOLDER + "/" + name + ".yaml";
            String text = resource(file).orElseThrow(() -> new EltException(EltErrorCode.INTERNAL, "Cannot read the "
                    + "shipped pipeline " + file + " from the jar (the build is broken; this is a bug)"));
            out.add(PipelineReader.read("classpath:" + file, name, text,
                    rel -> rel.contains("..") ? Optional.empty() : resource(CLASSPATH_FOLDER + "/" + rel)));
        }
        out.sort(Comparator.comparing(Pipeline::name));
        return out;
    }

    private static Optional<String> resource(String name) {
        try (InputStream in = PipelineFiles.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EltException(EltErrorCode.IO_FAILED, "Cannot read pipeline file " + display(f) + ": "
                    + e.getMessage() + " (check that it exists and is readable)", e);
        }
    }

    private static String display(Path f) {
        Path abs = f.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }
}
