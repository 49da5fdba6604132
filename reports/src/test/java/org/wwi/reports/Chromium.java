package org.wwi.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Headless Chromium for the browser tests, driven over the DevTools protocol: found on the PATH, or
 * installed with apt-get when the tests run as root (CI); anything else is a failure that says what
 * to install. A {@link Browser} records every console message, uncaught exception, log entry and
 * network request of the pages it opens.
 */
final class Chromium {
    static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String binary;

    private Chromium(String binary) {
        this.binary = binary;
    }

    static synchronized Chromium find() throws IOException, InterruptedException {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            if (run(List.of("sh", "-c", "command -v " + name), 30) == 0) {
                return new Chromium(name);
            }
        }
        Path id = Files.createTempFile("wwi-id", ".out");
        try {
            new ProcessBuilder("id", "-u").redirectOutput(id.toFile()).start().waitFor(10, TimeUnit.SECONDS);
            boolean root = Files.readString(id).trim().equals("0");
            if (!root || run(List.of("sh", "-c", "command -v apt-get"), 10) != 0) {
                throw new IllegalStateException("Chromium is not installed and cannot be installed here: run "
                        + "'apt-get install chromium' (Debian) as root, then the tests again");
            }
        } finally {
            Files.deleteIfExists(id);
        }
        int rc = run(List.of("sh", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install "
                + "-y -qq chromium"), 900);
        if (rc != 0) {
            throw new IllegalStateException("apt-get install chromium failed with exit code " + rc
                    + " (install it by hand: apt-get install chromium)");
        }
        return new Chromium("chromium");
    }

    /** Starts a headless browser with its own profile folder and connects to its first page. */
    Browser start(Path profile) throws Exception {
        Files.createDirectories(profile);
        Path portFile = profile.resolve("DevToolsActivePort");
        Files.deleteIfExists(portFile);
        List<String> cmd = new ArrayList<>(List.of(binary));
        cmd.addAll(FLAGS);
        cmd.addAll(List.of("--remote-debugging-port=0", "--user-data-dir=" + profile, "--hide-scrollbars",
                "--window-size=1400,1000", "about:blank"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).size() < 2) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("Chromium did not open its DevTools port (exit "
                            + (p.isAlive() ? "none" : p.exitValue()) + "): "
                            + Files.readString(profile.resolve("chromium.log")));
                }
                Thread.sleep(100);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body());
            String ws = null;
            for (JsonNode t : targets) {
                if (t.path("type").asText().equals("page")) {
                    ws = t.path("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (ws == null) {
                throw new IllegalStateException("Chromium has no page target: " + targets);
            }
            Browser b = new Browser(p);
            b.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                    .buildAsync(URI.create(ws), b).get(30, TimeUnit.SECONDS);
            for (String domain : List.of("Runtime", "Log", "Page", "Network")) {
                b.call(domain + ".enable", Map.of());
            }
            return b;
        } catch (Exception | Error e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** One browser and its page, with what the page said. */
    static final class Browser implements WebSocket.Listener, AutoCloseable {
        private final Process process;
        private WebSocket socket;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final StringBuilder frame = new StringBuilder();
        /** Console errors and warnings, uncaught exceptions and log entries of level error or warning. */
        final List<String> problems = new CopyOnWriteArrayList<>();
        /** URLs the page requested. */
        final List<String> requests = new CopyOnWriteArrayList<>();
        private final List<JsonNode> events = new CopyOnWriteArrayList<>();

        private Browser(Process process) {
            this.process = process;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            frame.append(data);
            if (last) {
                String text = frame.toString();
                frame.setLength(0);
                try {
                    receive(JSON.readTree(text));
                } catch (IOException e) {
                    problems.add("unreadable DevTools message: " + e.getMessage());
                }
            }
            ws.request(1);
            return null;
        }

        private void receive(JsonNode m) {
            if (m.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
                if (f != null) {
                    f.complete(m);
                }
                return;
            }
            String method = m.path("method").asText();
            JsonNode params = m.path("params");
            switch (method) {
                case "Runtime.consoleAPICalled" -> {
                    String type = params.path("type").asText();
                    if (type.equals("error") || type.equals("warning") || type.equals("assert")) {
                        List<String> args = new ArrayList<>();
                        params.path("args").forEach(a -> args.add(a.has("value") ? a.get("value").asText()
                                : a.path("description").asText()));
                        problems.add("console." + type + ": " + String.join(" ", args));
                    }
                }
                case "Runtime.exceptionThrown" -> problems.add("uncaught: " + params.path("exceptionDetails")
                        .path("exception").path("description").asText(params.path("exceptionDetails").path("text")
                                .asText()));
                case "Log.entryAdded" -> {
                    String level = params.path("entry").path("level").asText();
                    if (level.equals("error") || level.equals("warning")) {
                        problems.add("log " + level + ": " + params.path("entry").path("text").asText() + " "
                                + params.path("entry").path("url").asText());
                    }
                }
                case "Network.requestWillBeSent" -> requests.add(params.path("request").path("url").asText());
                default -> { }
            }
            events.add(m);
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            problems.add("DevTools connection failed: " + error);
            pending.values().forEach(f -> f.completeExceptionally(error));
        }

        JsonNode call(String method, Map<String, ?> params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            pending.put(id, f);
            ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
            msg.set("params", JSON.valueToTree(params));
            socket.sendText(JSON.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
            JsonNode r = f.get(60, TimeUnit.SECONDS);
            if (r.has("error")) {
                throw new IllegalStateException(method + " failed: " + r.get("error"));
            }
            return r.path("result");
        }

        /** Opens a page and waits for its load event. */
        void open(Path page) throws Exception {
            events.clear();
            problems.clear();
            requests.clear();
            call("Page.navigate", Map.of("url", page.toUri().toString()));
            waitFor(e -> e.path("method").asText().equals("Page.loadEventFired"), "the load event of " + page);
        }

        private void waitFor(Predicate<JsonNode> event, String what) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (events.stream().noneMatch(event)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Chromium did not report " + what + " within 60 s");
                }
                Thread.sleep(20);
            }
        }

        /** The value of a JavaScript expression (awaited when it is a promise), as JSON. */
        JsonNode eval(String expression) throws Exception {
            JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                    "awaitPromise", true));
            if (r.has("exceptionDetails")) {
                throw new IllegalStateException("script failed: " + r.get("exceptionDetails"));
            }
            return r.path("result").path("value");
        }

        /** Waits until an expression is true. */
        void until(String expression, String what) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!eval(expression).asBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the page did not get " + what + " within 30 s; problems: "
                            + problems);
                }
                Thread.sleep(50);
            }
        }

        /** A PNG of the whole page. */
        void screenshot(Path png) throws Exception {
            JsonNode size = call("Page.getLayoutMetrics", Map.of()).path("cssContentSize");
            JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
                    "clip", Map.of("x", 0, "y", 0, "width", size.path("width").asDouble(),
                            "height", size.path("height").asDouble(), "scale", 1)));
            Files.write(png, Base64.getDecoder().decode(shot.path("data").asText().getBytes(StandardCharsets.US_ASCII)));
        }

        @Override
        public void close() throws Exception {
            try {
                // no answer to wait for: the browser may be gone before it sends one
                socket.sendText("{\"id\":" + ids.incrementAndGet() + ",\"method\":\"Browser.close\"}", true)
                        .get(10, TimeUnit.SECONDS);
            } finally {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static int run(List<String> cmd, int seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + seconds + " s");
        }
        return p.exitValue();
    }
}
