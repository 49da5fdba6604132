package org.wwi.platform;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of the background JVM behind {@code wwi db start}: runs the embedded server
 * until it receives SIGTERM ({@code wwi db stop}), then stops PostgreSQL cleanly.
 */
public final class EmbeddedServerMain {
    private EmbeddedServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: EmbeddedServerMain DIR PORT DATABASE");
            System.exit(2);
        }
        DbConfig config = new DbConfig(Optional.empty(), Optional.empty(), Optional.empty(),
                Integer.parseInt(args[1]), Path.of(args[0]), args[2]);
        EmbeddedServer.Running running;
        try {
            running = new EmbeddedServer(config).startInProcess("background");
        } catch (WwiException e) {
            System.err.println(e.getMessage());
            System.exit(e.kind().exitCode());
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "wwi-embedded-stop"));
        System.out.println("embedded PostgreSQL listening on localhost:" + running.port());
        new CountDownLatch(1).await(); // until SIGTERM
        stopped.await();
    }
}
