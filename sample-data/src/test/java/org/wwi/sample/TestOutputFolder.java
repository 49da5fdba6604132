package org.wwi.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.platform.ErrorKind;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestOutputFolder {
    @TempDir
    Path folder;

    @Test
    void refusesAFolderWithOtherFiles() throws Exception {
        Path out = folder.resolve("mine");
        Files.createDirectories(out);
        Files.writeString(out.resolve("thesis.docx"), "precious");
        assertThatThrownBy(() -> TestingSampleData.generate(spec(out)))
                .isInstanceOfSatisfying(SampleDataException.class, e -> {
                    assertThat(e.code()).isEqualTo(SampleDataErrorCode.OUTPUT_NOT_EMPTY);
                    assertThat(e.kind()).isEqualTo(ErrorKind.USER);
                })
                .hasMessage("Cannot write sample data into folder: " + out + " (it is not empty and holds no previous"
                        + " sample-data generation (_wwi_sample.json); pick an empty folder or delete it)");
        assertThat(out.resolve("thesis.docx")).hasContent("precious");
        assertThat(out).isDirectoryNotContaining(path -> !path.getFileName().toString().equals("thesis.docx"));
    }

    @Test
    void refusesAForeignMarker() throws Exception {
        Path out = folder.resolve("foreign");
        Files.createDirectories(out);
        Files.writeString(out.resolve("_wwi_sample.json"), "{}");
        assertThatThrownBy(() -> TestingSampleData.generate(spec(out)))
                .isInstanceOf(SampleDataException.class)
                .hasMessageContaining("pick an empty folder or delete it");
    }

    @Test
    void refusesAFile() throws Exception {
        Path out = Files.writeString(folder.resolve("file.txt"), "x");
        assertThatThrownBy(() -> TestingSampleData.generate(spec(out)))
                .isInstanceOfSatisfying(SampleDataException.class,
                        e -> assertThat(e.code()).isEqualTo(SampleDataErrorCode.OUTPUT_INVALID))
                .hasMessage("Cannot write sample data into folder: " + out + " (it is a file; pick a folder path)");
    }

    @Test
    void reportsAFolderThatCannotBeCreated() throws Exception {
        Path file = Files.writeString(folder.resolve("file.txt"), "x");
        Path out = file.resolve("lake");
        assertThatThrownBy(() -> TestingSampleData.generate(spec(out)))
                .isInstanceOfSatisfying(SampleDataException.class, e -> {
                    assertThat(e.code()).isEqualTo(SampleDataErrorCode.WRITE_FAILED);
                    assertThat(e.kind()).isEqualTo(ErrorKind.EXTERNAL);
                })
                .hasMessageStartingWith("Cannot write sample data: folder " + out + " (")
                .hasMessageEndingWith("; check free disk space and permissions)");
    }

    @Test
    void createsMissingFoldersAndUsesEmptyOnes() throws Exception {
        Path missing = folder.resolve("a/b/c");
        assertThat(TestingSampleData.generate(spec(missing)).events()).isEqualTo(100);
        Path empty = Files.createDirectories(folder.resolve("empty"));
        assertThat(TestingSampleData.generate(spec(empty)).events()).isEqualTo(100);
    }

    private static WeblogSpec spec(Path out) {
        return new WeblogSpec(out, 100, 1, TestingSampleData.START, 1, 10, 5);
    }
}
