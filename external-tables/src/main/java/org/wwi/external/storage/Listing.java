package org.wwi.external.storage;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What listing a table LOCATION found.
 *
 * @param files             the data files, sorted by path
 * @param skippedIncomplete folders holding data files but no {@code _SUCCESS}, skipped because the table
 *                          requires it ({@code REQUIRE_SUCCESS_FILE = TRUE})
 * @param bytes             total length of {@code files}
 */
public record Listing(List<FileRef> files, List<String> skippedIncomplete, long bytes) {

    public Listing {
        files = List.copyOf(requireNonNull(files, "files is null"));
        skippedIncomplete = List.copyOf(requireNonNull(skippedIncomplete, "skippedIncomplete is null"));
    }

    public static Listing of(List<FileRef> files, List<String> skippedIncomplete) {
        return new Listing(files, skippedIncomplete, files.stream().mapToLong(FileRef::length).sum());
    }
}
