package org.wwi.sample;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Makes the output folder ready: creates it when missing, empties it when it holds a previous
 * generation, and refuses anything else, so no user file is ever deleted.
 */
final class OutputFolder {
    private OutputFolder() {
    }

    static void prepare(Path out) {
        Path folder = out.toAbsolutePath().normalize();
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new SampleDataException(SampleDataErrorCode.OUTPUT_INVALID,
                    "Cannot write sample data into folder: " + folder + " (it is a file; pick a folder path)");
        }
        try {
            if (!Files.exists(folder)) {
                Files.createDirectories(folder);
                return;
            }
            if (isEmpty(folder)) {
                return;
            }
            if (!GenerationMarker.isPresent(folder)) {
                throw new SampleDataException(SampleDataErrorCode.OUTPUT_NOT_EMPTY,
                        "Cannot write sample data into folder: " + folder + " (it is not empty and holds no previous"
                                + " sample-data generation (" + GenerationMarker.FILE_NAME
                                + "); pick an empty folder or delete it)");
            }
            deleteContents(folder);
        } catch (IOException e) {
            throw SampleDataException.writeFailed("folder " + folder, e);
        }
    }

    static boolean isEmpty(Path folder) throws IOException {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(folder)) {
            return !children.iterator().hasNext();
        }
    }

    /** Deletes everything inside {@code folder}, not following symbolic links. */
    private static void deleteContents(Path folder) throws IOException {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(folder)) {
            for (Path child : children) {
                if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(child);
                } else {
                    Files.delete(child);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
