package org.wwi.elt;

import org.wwi.external.Catalog;
import org.wwi.external.catalog.CatalogStore;
import org.wwi.platform.Database;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The ELT pipelines of a project over a warehouse: run them, and read their history from the
 * ledger. One instance per process is enough; runs of different pipelines may go on in parallel
 * threads, runs of one pipeline never overlap (in any process: an advisory lock in the warehouse).
 */
public final class Elt implements AutoCloseable {
    private final Database warehouse;
    private final List<Pipeline> pipelines;
    private final SourceTables sources;
    private final RollupRefresher rollups;
    private final Runner runner;
    private final History history;

    private Elt(Database warehouse, List<Pipeline> pipelines, SourceTables sources, RollupRefresher rollups,
                String runnerSuffix, java.time.Duration lockWait) {
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
        this.pipelines = List.copyOf(requireNonNull(pipelines, "pipelines is null"));
        this.sources = requireNonNull(sources, "sources is null");
        this.rollups = requireNonNull(rollups, "rollups is null");
        this.runner = new Runner(warehouse.dataSource(), sources, rollups, runnerSuffix, lockWait);
        this.history = new History(warehouse.dataSource());
    }

    /**
     * The pipelines of the project in {@code home} ({@code elt-jobs/pipelines}) over {@code warehouse},
     * reading external tables through the catalog of the same database.
     *
     * @param stateDir where the service key is ({@code home/.wwi}), for credentials of external data sources
     */
    public static Elt open(Database warehouse, Path home, Path stateDir) {
        requireNonNull(warehouse, "warehouse is null");
        requireNonNull(stateDir, "stateDir is null");
        return open(warehouse, home, PipelineFiles.readProject(home), CatalogStore.open(warehouse, stateDir));
    }

    /**
     * Given pipelines over {@code warehouse}, reading external tables through {@code catalog} and
     * refreshing the rollups of the semantic model of the project in {@code home}.
     */
    public static Elt open(Database warehouse, Path home, List<Pipeline> pipelines, Catalog catalog) {
        return open(warehouse, home, pipelines, catalog, "");
    }

    /** As {@link #open(Database, Path, List, Catalog)}, naming the runner in the ledger (e.g. the Quartz instance). */
    static Elt open(Database warehouse, Path home, List<Pipeline> pipelines, Catalog catalog, String runnerSuffix) {
        return new Elt(warehouse, pipelines, new ExternalSourceTables(requireNonNull(catalog, "catalog is null")),
                ModelRollups.forProject(warehouse, home), runnerSuffix, Runner.LOCK_WAIT);
    }

    static Elt of(Database warehouse, List<Pipeline> pipelines, SourceTables sources, RollupRefresher rollups,
                  String runnerSuffix) {
        return of(warehouse, pipelines, sources, rollups, runnerSuffix, Runner.LOCK_WAIT);
    }

    /** As the other, with the longest a scheduled or recovered run waits for the pipeline's lock. */
    static Elt of(Database warehouse, List<Pipeline> pipelines, SourceTables sources, RollupRefresher rollups,
                  String runnerSuffix, java.time.Duration lockWait) {
        return new Elt(warehouse, pipelines, sources, rollups, runnerSuffix, lockWait);
    }

    public List<Pipeline> pipelines() {
        return pipelines;
    }

    /** The pipeline called {@code name}. */
    public Pipeline pipeline(String name) {
        requireNonNull(name, "name is null");
        return pipelines.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> new EltException(
                EltErrorCode.PIPELINE_NOT_FOUND, "Cannot find pipeline " + name + " (the pipelines are: " + String.join(
                ", ", pipelines.stream().map(Pipeline::name).toList()) + "; see wwi elt list)"));
    }

    /**
     * Runs a pipeline and returns what it did. A failed run is returned (and recorded), not thrown.
     *
     * @throws EltException RUN_IN_PROGRESS when a manual run finds the pipeline running
     */
    public RunResult run(String name, RunOptions options, RunListener listener) {
        return runner.run(pipeline(name), options, listener);
    }

    /** The newest runs first, of one pipeline or all. */
    public List<RunSummary> history(Optional<String> pipeline, int limit) {
        requireNonNull(pipeline, "pipeline is null");
        if (limit < 1) {
            throw new EltException(EltErrorCode.REQUEST_INVALID, "Cannot list " + limit + " runs (ask for 1 or more)");
        }
        return history.runs(pipeline, limit);
    }

    /** Steps, files, rejects, tests and lineage of a run. */
    public RunDetail show(long runId) {
        return history.run(runId);
    }

    @Override
    public void close() {
        try {
            sources.close();
        } finally {
            rollups.close();
        }
    }
}
