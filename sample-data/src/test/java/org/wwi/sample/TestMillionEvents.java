package org.wwi.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The documented size: 1,000,000 events with the default spec otherwise (a few seconds). */
class TestMillionEvents {
    @TempDir
    Path folder;

    @Test
    void generatesAMillionEvents() {
        GenerationResult result = TestingSampleData.generate(WeblogSpec.defaults(folder.resolve("lake"))
                .withRows(1_000_000));
        assertThat(result.events()).isEqualTo(1_000_000);
        assertThat(result.rowsPerDataset()).containsEntry("weblogs", 1_000_000L).containsEntry("store_sales", 100_000L)
                .containsEntry("recommendations", 100_000L);
        assertThat(result.dirtyRawRows()).isBetween(9_000L, 11_000L);
        assertThat(result.rowsPerDataset().get("chat")).isBetween(500L, 800L);
        assertThat(TestingSampleData.partFiles(folder.resolve("lake/weblogs"))).hasSize(30);
    }
}
