package org.wwi.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What a generation wrote.
 *
 * @param out            the output folder
 * @param events         web-log events (rows of {@code weblogs} and of {@code raw/weblog.txt})
 * @param dirtyRawRows   rows of {@code raw/weblog.txt} whose TransactionDate does not parse
 * @param rowsPerDataset rows per dataset in a fixed order (for {@code chat}: conversations)
 * @param files          files written, hidden ones ({@code .crc}) included
 * @param bytes          total size of those files
 * @param elapsed        wall-clock time of the generation
 */
public record GenerationResult(Path out, long events, long dirtyRawRows, Map<String, Long> rowsPerDataset,
        long files, long bytes, Duration elapsed) {

    public GenerationResult {
        requireNonNull(out, "out is null");
        requireNonNull(rowsPerDataset, "rowsPerDataset is null");
        requireNonNull(elapsed, "elapsed is null");
        rowsPerDataset = Collections.unmodifiableMap(new LinkedHashMap<>(rowsPerDataset));
    }
}
