package org.wwi.external.storage;

import com.microsoft.azure.storage.CloudStorageAccount;
import com.microsoft.azure.storage.SharedAccessAccountPolicy;
import com.microsoft.azure.storage.StorageCredentialsAccountAndKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Azurite (the npm package {@code azurite}, Blob service only) for integration tests: installed into
 * {@code target/azurite} with npm on first use, started on a free loopback port with its data in a
 * temporary folder, stopped by {@link #close()}.
 */
final class TestingAzurite implements AutoCloseable {
    /** Azurite's well-known development account and key (public, documented by Microsoft). */
    static final String ACCOUNT = "devstoreaccount1";
    static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final Process process;
    private final int port;
    private final Path data;

    private TestingAzurite(Process process, int port, Path data) {
        this.process = process;
        this.port = port;
        this.data = data;
    }

    static TestingAzurite start() {
        try {
            Path dir = Path.of(System.getProperty("wwi.azurite.dir", "target/azurite"));
            Path main = dir.resolve("node_modules/azurite/dist/src/blob/main.js");
            if (!Files.exists(main)) {
                Files.createDirectories(dir);
                run(List.of("npm", "install", "--prefix", dir.toAbsolutePath().toString(), "--no-audit", "--no-fund", "--loglevel=error",
                        "azurite@3"), dir);
            }
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                port = s.getLocalPort();
            }
            Path data = Files.createTempDirectory("wwi-azurite");
            Process p = new ProcessBuilder("node", main.toString(), "--blobHost", "127.0.0.1", "--blobPort",
                    String.valueOf(port), "--location", data.toString(), "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry")
                    .redirectErrorStream(true).redirectOutput(data.resolve("azurite.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                    break;
                } catch (IOException e) {
                    if (!p.isAlive() || System.nanoTime() > deadline) {
                        p.destroyForcibly();
                        throw new IllegalStateException("Azurite did not start on port " + port + ": "
                                + Files.readString(data.resolve("azurite.log")), e);
                    }
                    Thread.sleep(200);
                }
            }
            return new TestingAzurite(p, port, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void run(List<String> command, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    int port() {
        return port;
    }

    /** An account SAS (blob service; read and list on containers and objects; one hour), made by the Azure SDK. */
    String readOnlySas() throws Exception {
        // an account SAS signs the account name, not the endpoint
        CloudStorageAccount account = new CloudStorageAccount(new StorageCredentialsAccountAndKey(ACCOUNT, KEY));
        SharedAccessAccountPolicy policy = new SharedAccessAccountPolicy();
        policy.setPermissionsFromString("rl");
        policy.setServiceFromString("b");
        policy.setResourceTypeFromString("sco");
        policy.setSharedAccessExpiryTime(java.util.Date.from(java.time.Instant.now().plusSeconds(3600)));
        return account.generateSharedAccessSignature(policy);
    }

    /** {@code wasb://<container>@devstoreaccount1.localhost:<port>/}: a production-style host Azurite understands. */
    String wasb(String container) {
        return "wasb://" + container + "@" + ACCOUNT + ".localhost:" + port + "/";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (var walk = Files.walk(data)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
