package org.wwi.sample;

import org.apache.parquet.hadoop.ParquetWriter;
import org.wwi.platform.Progress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * One run of the generator: plans the work, writes every dataset (web-log parts in parallel,
 * each file by exactly one task from its own random stream, so the bytes never depend on
 * scheduling), then the marker.
 */
final class Generation {
    static final String RAW = "raw";
    static final String WEBLOGS = "weblogs";
    static final String WEBLOGS_INT96 = "weblogs_int96";
    static final String PRODUCTS = "products";
    static final String USERS = "users";
    static final String RATINGS = "ratings";
    static final String RECOMMENDATIONS = "recommendations";
    static final String STORE_SALES = "store_sales";
    static final String CHAT = "chat";
    private static final String RAW_FILE = "raw/weblog.txt";
    private static final int PROGRESS_BATCH = 10_000;

    private final WeblogSpec spec;
    private final Progress progress;
    private final Path out;
    private final WeblogPlan plan;
    private final ProductCatalog catalog;
    private final UserDirectory users;
    private final WeblogEventSource source;
    /** Filled by the raw-text task, which sees every event once; read after it is done. */
    private final RatingsAccumulator ratings = new RatingsAccumulator();

    Generation(WeblogSpec spec, Progress progress) {
        this.spec = requireNonNull(spec, "spec is null");
        this.progress = requireNonNull(progress, "progress is null");
        this.out = spec.out().toAbsolutePath().normalize();
        this.plan = WeblogPlan.of(spec);
        this.catalog = new ProductCatalog(spec.seed(), spec.products(), spec.startDate());
        this.users = new UserDirectory(spec.seed(), spec.users(), spec.startDate());
        this.source = new WeblogEventSource(spec.seed(), catalog, users);
    }

    GenerationResult run() {
        long started = System.nanoTime();
        OutputFolder.prepare(out);
        call(out.resolve(GenerationMarker.FILE_NAME), () -> {
            GenerationMarker.writeStarted(out, spec);
            return null;
        });
        Map<String, Long> rows = new LinkedHashMap<>();
        long dirty;
        ExecutorService pool = Executors.newFixedThreadPool(threads(), new NamedThreads());
        try {
            dirty = writeDatasets(pool, rows);
        } finally {
            pool.shutdownNow();
        }
        call(out.resolve(GenerationMarker.FILE_NAME), () -> {
            GenerationMarker.writeComplete(out, spec, rows, dirty);
            return null;
        });
        long[] filesAndBytes = call(out, this::filesAndBytes);
        return new GenerationResult(out, rows.get(WEBLOGS), dirty, rows, filesAndBytes[0], filesAndBytes[1],
                Duration.ofNanos(System.nanoTime() - started));
    }

    /** Writes every dataset, puts its rows into {@code rows}, returns the dirty raw rows. */
    private long writeDatasets(ExecutorService pool, Map<String, Long> rows) {
        Future<Long> raw = submit(pool, out.resolve(RAW_FILE),
                () -> new RawWeblogWriter(spec.seed(), plan, source).write(out.resolve(RAW_FILE), ratings::record));
        Future<Long> chat = submit(pool, out.resolve(CHAT),
                () -> new ChatTranscripts(spec, users, catalog).write(out.resolve(CHAT)));
        // Hadoop takes a while to start; the text files above need none of it
        SparkParquet parquet = call(out, SparkParquet::local);
        List<Future<long[]>> parts = new ArrayList<>();
        for (PartPlan part : plan.parts()) {
            parts.add(submit(pool, partFile(WEBLOGS, part), () -> writePart(parquet, part)));
        }
        Map<String, Future<Long>> datasets = new LinkedHashMap<>();
        datasets.put(PRODUCTS, submit(pool, out.resolve(PRODUCTS),
                () -> ProductsDataset.write(parquet, out.resolve(PRODUCTS), job(PRODUCTS, 0), catalog)));
        datasets.put(USERS, submit(pool, out.resolve(USERS),
                () -> UsersDataset.write(parquet, out.resolve(USERS), job(USERS, 0), users)));
        datasets.put(RECOMMENDATIONS, submit(pool, out.resolve(RECOMMENDATIONS),
                () -> RecommendationsDataset.write(parquet, out.resolve(RECOMMENDATIONS), job(RECOMMENDATIONS, 0),
                        spec.seed(), users, catalog)));
        datasets.put(STORE_SALES, submit(pool, out.resolve(STORE_SALES),
                () -> StoreSalesDataset.write(parquet, out.resolve(STORE_SALES), job(STORE_SALES, 0), spec, users,
                        catalog)));

        long weblogRows = 0;
        long int96Rows = 0;
        for (Future<long[]> part : parts) {
            long[] written = await(part);
            weblogRows += written[0];
            int96Rows += written[1];
        }
        call(out.resolve(WEBLOGS), () -> writeDaySuccessFiles(parquet));
        long dirty = await(raw);
        long ratingRows = call(out.resolve(RATINGS),
                () -> RatingsDataset.write(parquet, out.resolve(RATINGS), job(RATINGS, 0), ratings));

        rows.put(RAW, spec.rows());
        rows.put(WEBLOGS, weblogRows);
        rows.put(WEBLOGS_INT96, int96Rows);
        rows.put(PRODUCTS, await(datasets.get(PRODUCTS)));
        rows.put(USERS, await(datasets.get(USERS)));
        rows.put(RATINGS, ratingRows);
        rows.put(RECOMMENDATIONS, await(datasets.get(RECOMMENDATIONS)));
        rows.put(STORE_SALES, await(datasets.get(STORE_SALES)));
        rows.put(CHAT, await(chat));
        return dirty;
    }

    /**
     * Writes one part of {@code weblogs} (and of {@code weblogs_int96} for the first days).
     *
     * @return rows written to weblogs, rows written to weblogs_int96
     */
    private long[] writePart(SparkParquet parquet, PartPlan part) throws IOException {
        progress.note(WEBLOGS + "/" + part.day().folderName());
        boolean int96 = WeblogPlan.inInt96Variant(part.day());
        long[] written = {0};
        try (ParquetWriter<WeblogEvent> writer = parquet.open(partFile(WEBLOGS, part), WeblogWriteSupport.micros());
                ParquetWriter<WeblogEvent> int96Writer = int96
                        ? parquet.open(partFile(WEBLOGS_INT96, part), WeblogWriteSupport.int96()) : null) {
            source.generate(part, event -> {
                try {
                    writer.write(event);
                    if (int96Writer != null) {
                        int96Writer.write(event);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (++written[0] % PROGRESS_BATCH == 0) {
                    progress.advance(PROGRESS_BATCH);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        progress.advance(written[0] % PROGRESS_BATCH);
        return new long[] {written[0], int96 ? written[0] : 0};
    }

    /** A daily Spark job marks its own partition done. */
    private Void writeDaySuccessFiles(SparkParquet parquet) throws IOException {
        for (DayPlan day : plan.days()) {
            parquet.writeSuccess(out.resolve(WEBLOGS).resolve(day.folderName()));
            if (WeblogPlan.inInt96Variant(day)) {
                parquet.writeSuccess(out.resolve(WEBLOGS_INT96).resolve(day.folderName()));
            }
        }
        return null;
    }

    private Path partFile(String dataset, PartPlan part) {
        DayPlan day = part.day();
        return out.resolve(dataset).resolve(day.folderName())
                .resolve(SparkParquet.partFileName(part.part(), job(dataset, day.index())));
    }

    /** The seeded id of the Spark job that wrote {@code dataset} (one job per day for the web logs). */
    private UUID job(String dataset, int index) {
        return Seeds.uuid(Seeds.random(spec.seed(), "job/" + dataset, index));
    }

    private long[] filesAndBytes() throws IOException {
        long[] totals = new long[2];
        try (Stream<Path> files = Files.walk(out)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                totals[0]++;
                totals[1] += Files.size(file);
            }
        }
        return totals;
    }

    private static int threads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /** Work that may fail with an I/O error. */
    @FunctionalInterface
    private interface IoWork<T> {
        T run() throws IOException;
    }

    private static <T> Future<T> submit(ExecutorService pool, Path what, IoWork<T> work) {
        return pool.submit(() -> call(what, work));
    }

    /** Runs {@code work}; an I/O error becomes WRITE_FAILED naming {@code what}. */
    private static <T> T call(Path what, IoWork<T> work) {
        try {
            return work.run();
        } catch (IOException e) {
            throw SampleDataException.writeFailed(what, e);
        } catch (UncheckedIOException e) {
            throw SampleDataException.writeFailed(what, e.getCause());
        }
    }

    private <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SampleDataException(SampleDataErrorCode.INTERRUPTED, "Cannot finish sample data: " + out
                    + " (interrupted; run again, the partial generation will be replaced)", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SampleDataException sampleDataException) {
                throw sampleDataException;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new SampleDataException(SampleDataErrorCode.GENERATION_FAILED, "Cannot generate sample data: "
                    + out + " (" + cause + "; this is a bug, please report it)", cause);
        }
    }

    private static final class NamedThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable runnable) {
            Thread thread = new Thread(runnable, "wwi-sample-data-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
