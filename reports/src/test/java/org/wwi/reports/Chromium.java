package org.wwi.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium for the browser tests: found on the PATH, or installed with apt-get when the
 * tests run as root (CI); anything else is a failure that says what to install.
 */
final class Chromium {
    static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking");

    record Result(int exitCode, String out, String err) {
    }

    private final String binary;

    private Chromium(String binary) {
        this.binary = binary;
    }

    static synchronized Chromium find() throws IOException, InterruptedException {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            if (run(List.of("sh", "-c", "command -v " + name), 30).exitCode() == 0) {
                return new Chromium(name);
            }
        }
        boolean root = run(List.of("id", "-u"), 10).out().trim().equals("0");
        if (!root || run(List.of("sh", "-c", "command -v apt-get"), 10).exitCode() != 0) {
            throw new IllegalStateException("Chromium is not installed and cannot be installed here: run "
                    + "'apt-get install chromium' (Debian) as root, then the tests again");
        }
        Result r = run(List.of("sh", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install "
                + "-y -qq chromium"), 900);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("apt-get install chromium failed (" + r.exitCode() + "): " + r.err());
        }
        return new Chromium("chromium");
    }

    /** The DOM after the page's scripts ran (up to 15 s of virtual time). */
    Result dumpDom(Path page, Path profile) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary));
        cmd.addAll(FLAGS);
        cmd.addAll(List.of("--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                "--virtual-time-budget=15000", "--window-size=1400,2400", "--dump-dom", page.toUri().toString()));
        return run(cmd, 120);
    }

    Result screenshot(Path page, Path png, Path profile) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary));
        cmd.addAll(FLAGS);
        cmd.addAll(List.of("--user-data-dir=" + profile, "--virtual-time-budget=15000", "--hide-scrollbars",
                "--window-size=1400,2400", "--screenshot=" + png, page.toUri().toString()));
        return run(cmd, 120);
    }

    private static Result run(List<String> cmd, int seconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("wwi-chromium", ".out");
        Path err = Files.createTempFile("wwi-chromium", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + seconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
