package org.wwi.jobs;

import org.wwi.control.SecretStore;
import org.wwi.control.ServiceKey;
import org.wwi.platform.Database;
import org.wwi.platform.Databases;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * An agent in a JVM of its own, for the crash test: {@code AgentProcess host port user database
 * serviceKeyFile leaseSeconds}. Prints "started" and then every event, until it is killed.
 */
final class AgentProcess {
    private AgentProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        Database control = Databases.connect(new Database.ServerAddress(args[0], Integer.parseInt(args[1]), args[2],
                args[3]), Optional.ofNullable(System.getenv("AGENT_DB_PASSWORD")), "child agent");
        SecretStore secrets = SecretStore.open(control, ServiceKey.file(Path.of(args[4])));
        ExecutorSettings settings = new ExecutorSettings(20, Duration.ofMillis(100),
                Duration.ofSeconds(Long.parseLong(args[5])), Duration.ofSeconds(1));
        JobsExecutor.start(control, secrets, TestingControl.ROOT, settings, line -> {
            System.out.println(line);
            System.out.flush();
        });
        System.out.println("started");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
