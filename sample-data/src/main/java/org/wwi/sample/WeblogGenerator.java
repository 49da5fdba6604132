package org.wwi.sample;

import org.wwi.platform.Progress;

import static java.util.Objects.requireNonNull;

/**
 * Generates "sample data like Spark writes it": what a Databricks notebook produces from WWI's
 * web logs (partitioned snappy Parquet with {@code _SUCCESS} and {@code .crc} files, an INT96
 * variant, the raw pipe-separated text with some dirty dates, products, users, ratings,
 * ALS-shaped recommendations, store sales and chat transcripts). See docs/SAMPLE-DATA.md.
 */
public final class WeblogGenerator {
    private WeblogGenerator() {
    }

    /**
     * Writes the sample data of {@code spec} into {@code spec.out()}, which must be missing,
     * empty, or a previous generation (then replaced entirely).
     *
     * @param progress advanced by the web-log events written; not closed here
     * @throws SampleDataException when the folder cannot be used or a file cannot be written
     */
    public static GenerationResult generate(WeblogSpec spec, Progress progress) {
        requireNonNull(spec, "spec is null");
        requireNonNull(progress, "progress is null");
        return new Generation(spec, progress).run();
    }
}
