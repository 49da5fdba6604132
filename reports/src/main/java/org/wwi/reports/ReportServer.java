package org.wwi.reports;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.wwi.platform.ErrorCode;
import org.wwi.platform.ErrorKind;
import org.wwi.platform.WwiException;
import org.wwi.semantic.PasswordHash;
import org.wwi.semantic.Principal;
import org.wwi.semantic.ServeConfig;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Serves the dashboards over HTTP with live filters: {@code /} lists those the signed-in user's role
 * may see, {@code /NAME.html?channel=Web} renders one for the user (403 for a dashboard the role may
 * not see; a tile it may not see says so), {@code /NAME/TILE.csv} runs one tile and gives its rows.
 * A failing query answers 500 with a page that names the tile and a reference into the log, never
 * the database's message or a stack trace. Users, passwords
 * (PBKDF2 hashes) and roles are those of the JDBC endpoint ({@code semantic-model/serve.yaml});
 * every request needs HTTP Basic credentials, checked before anything is read, so nothing of the
 * model shows to a stranger. A verified password is remembered as an HMAC under a key of this
 * process for ten minutes, so only the first request of a user pays for PBKDF2.
 */
public final class ReportServer implements AutoCloseable {
    private static final long REMEMBER_NANOS = 10L * 60 * 1_000_000_000;

    private final Reports reports;
    private final ServeConfig config;
    private final HttpServer server;
    private final ExecutorService threads;
    private final Consumer<String> log;
    private final byte[] key = new byte[32];
    private final Map<String, Long> verified = new ConcurrentHashMap<>();

    private ReportServer(Reports reports, ServeConfig config, String host, int port, Consumer<String> log) {
        this.reports = requireNonNull(reports, "reports is null");
        this.config = requireNonNull(config, "config is null");
        this.log = requireNonNull(log, "log is null");
        new SecureRandom().nextBytes(key);
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            throw new ReportsException(ReportsErrorCode.SERVER_FAILED, "Cannot listen on " + host + ":" + port + ": "
                    + e.getMessage() + " (choose another port with --port)", e);
        }
        threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "wwi-reports-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    /** Starts serving; port 0 picks a free one. */
    public static ReportServer start(Reports reports, ServeConfig config, String host, int port, Consumer<String> log) {
        ReportServer s = new ReportServer(reports, config, host, port, log);
        s.server.start();
        return s;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port() + "/";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Principal p = authenticate(ex);
            if (p == null) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"WWI reports\", charset=\"UTF-8\"");
                send(ex, 401, "text/plain", "Sign in with a user of semantic-model/serve.yaml\n");
                return;
            }
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                send(ex, 405, "text/plain", "Only GET\n");
                return;
            }
            String path = ex.getRequestURI().getPath();
            try {
                if (path.equals("/") || path.equals("/index.html")) {
                    send(ex, 200, "text/html", reports.index(p, Map.of()));
                } else if (path.matches("/[a-z][a-z0-9_]*\\.html")) {
                    String name = path.substring(1, path.length() - 5);
                    send(ex, 200, "text/html", reports.page(name, p, Selection.parse(query(ex.getRequestURI())), true)
                            .html());
                } else if (path.matches("/[a-z][a-z0-9_]*/[a-z][a-z0-9_]*\\.csv")) {
                    String[] parts = path.substring(1, path.length() - 4).split("/");
                    TileResult t = reports.tile(parts[0], parts[1], p, Selection.parse(query(ex.getRequestURI())));
                    ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + parts[0] + "-"
                            + parts[1] + ".csv\"");
                    send(ex, 200, "text/csv", t.csv());
                } else {
                    send(ex, 404, "text/plain", "Not found: " + path + "\n");
                }
            } catch (WwiException e) {
                ErrorCode code = e.code();
                if (code == ReportsErrorCode.DASHBOARD_UNKNOWN) {
                    send(ex, 404, "text/plain", e.getMessage() + "\n");
                } else if (code == ReportsErrorCode.DASHBOARD_FORBIDDEN) {
                    log.accept(p.user() + " " + path + ": 403 " + e.getMessage());
                    send(ex, 403, "text/plain", e.getMessage() + "\n");
                } else if (e.kind() == ErrorKind.USER) {
                    send(ex, 400, "text/plain", e.getMessage() + "\n");
                } else {
                    // the reader learns what failed; the details (PostgreSQL's message, the SQL) go to the log only
                    String ref = reference();
                    log.accept(p.user() + " " + path + ": 500 [" + ref + "] " + e.getMessage()
                            + (e.getCause() != null ? " (cause: " + e.getCause() + ")" : ""));
                    send(ex, 500, "text/html", failurePage(path, e, ref));
                }
            } catch (RuntimeException e) {
                String ref = reference();
                log.accept(p.user() + " " + path + ": 500 [" + ref + "] internal error: " + e);
                send(ex, 500, "text/html", failurePage(path, null, ref));
            }
        } catch (IOException | RuntimeException e) {
            log.accept("request failed: " + e);
        }
    }

    private static String reference() {
        return Long.toString(System.currentTimeMillis(), 36) + "-" + Integer.toString(new SecureRandom().nextInt(
                1 << 20), 36);
    }

    /** A short page: what could not be shown and a reference to the server log, no stack trace, no SQL. */
    private static String failurePage(String path, WwiException e, String ref) {
        String what = e == null ? "An internal error stopped the server from answering."
                : e.code() == ReportsErrorCode.TILE_FAILED ? firstSentence(e.getMessage())
                : "The dashboard could not be rendered.";
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Dashboard unavailable · WWI"
                + "</title></head>\n<body data-status=\"failed\"><h1>This dashboard could not be shown</h1>\n<p class=\""
                + "error\">" + HtmlPage.esc(what) + "</p>\n<p>The warehouse query behind it failed. Try again later; if it "
                + "keeps failing, give your administrator this reference, which finds the details in the server log: <b>"
                + HtmlPage.esc(ref) + "</b></p>\n<p><a href=\"/\">All dashboards</a></p>\n</body></html>\n";
    }

    /** "Cannot render tile revenue of dashboards/products.yaml" from the tile's error, without the database's text. */
    private static String firstSentence(String message) {
        int colon = message.indexOf(": ");
        return (colon > 0 ? message.substring(0, colon) : message) + ".";
    }

    private Principal authenticate(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String user = decoded.substring(0, colon);
        char[] password = decoded.substring(colon + 1).toCharArray();
        ServeConfig.User u = config.users().get(user);
        String mac = mac(user, password);
        Long until = verified.get(mac);
        boolean ok;
        if (until != null && until - System.nanoTime() > 0 && u != null) {
            ok = true;
        } else {
            // unknown users cost a PBKDF2 check too, so timing does not tell which names exist
            ok = PasswordHash.verify(password, u != null ? u.passwordHash() : DECOY) && u != null;
            if (ok) {
                verified.put(mac, System.nanoTime() + REMEMBER_NANOS);
            }
        }
        java.util.Arrays.fill(password, '\0');
        return ok ? Principal.of(u.name(), u.role(), u.attributes()) : null;
    }

    private String mac(String user, char[] password) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            m.update(user.getBytes(StandardCharsets.UTF_8));
            m.update((byte) 0);
            m.update(new String(password).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(m.doFinal());
        } catch (GeneralSecurityException e) {
            throw new ReportsException(ReportsErrorCode.INTERNAL, "HmacSHA256 is not available: " + e.getMessage(), e);
        }
    }

    private static final String DECOY = PasswordHash.hash("decoy-password-of-no-user".toCharArray());

    private static List<String> query(URI uri) {
        List<String> out = new ArrayList<>();
        String q = uri.getRawQuery();
        if (q == null || q.isEmpty()) {
            return out;
        }
        for (String pair : q.split("&")) {
            String decoded = URLDecoder.decode(pair, StandardCharsets.UTF_8);
            int eq = decoded.indexOf('=');
            if (eq > 0 && eq < decoded.length() - 1) {
                out.add(decoded);
            }
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(1);
        threads.shutdownNow();
    }
}
