package org.wwi.elt;

import org.quartz.Scheduler;
import org.wwi.control.ServiceKey;
import org.wwi.external.catalog.CatalogStore;
import org.wwi.platform.Database;
import org.wwi.platform.Databases;
import org.wwi.platform.QuartzFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM for crash tests, killed with SIGKILL by the test:
 * {@code run JDBC_URL USER PASSWORD HOME PIPELINE_FOLDER PIPELINE} runs one pipeline (with
 * {@code -Dwwi.elt.halt=POINT} it blocks at that point); {@code agent JDBC_URL USER PASSWORD HOME
 * PIPELINE_FOLDER} runs an ELT agent (clustered Quartz, check-in every second) until killed.
 */
public final class TestingChild {
    private TestingChild() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Database db = Databases.external(args[1], Optional.of(args[2]), Optional.of(args[3]));
        Path home = Path.of(args[4]);
        List<Pipeline> pipelines = PipelineFiles.readFolder(Path.of(args[5]));
        CatalogStore catalog = CatalogStore.open(db, ServiceKey.file(home.resolve("service.key")));
        if (mode.equals("run")) {
            try (Elt elt = Elt.open(db, TestingWarehouse.ROOT, pipelines, catalog, "child")) {
                System.out.println("RUNNING");
                System.out.flush();
                RunResult r = elt.run(args[6], RunOptions.manual(), RunListener.none());
                System.out.println("DONE " + r.status());
            }
            System.exit(0);
        }
        Scheduler scheduler = QuartzFactory.build(db, new QuartzFactory.Settings("wwi-elt-it", 2,
                Duration.ofMillis(1000), Duration.ofMillis(1000)));
        EltAgent agent = new EltAgent(pipelines, (control, instance) -> Elt.open(control, TestingWarehouse.ROOT, pipelines, catalog, instance),
                line -> {
                    System.out.println("agent " + line);
                    System.out.flush();
                });
        agent.start(scheduler, db);
        scheduler.start();
        System.out.println("AGENT-STARTED " + ProcessHandle.current().pid() + " " + scheduler.getSchedulerInstanceId());
        System.out.flush();
        while (true) {
            TimeUnit.SECONDS.sleep(60);
        }
    }

    /** Starts a child JVM with this class's main and the given system properties. */
    static Process start(List<String> systemProperties, String... args) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.addAll(systemProperties);
        command.add("-cp");
        command.add(classPath);
        command.add(TestingChild.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
