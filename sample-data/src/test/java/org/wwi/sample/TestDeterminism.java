package org.wwi.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The same spec writes the same files, byte for byte; another seed writes others. */
class TestDeterminism {
    @TempDir
    Path folder;

    @Test
    void sameSpecGivesIdenticalFiles() {
        TestingSampleData.generate(spec("first", 7));
        TestingSampleData.generate(spec("second", 7));
        Map<String, byte[]> first = TestingSampleData.snapshot(folder.resolve("first"));
        Map<String, byte[]> second = TestingSampleData.snapshot(folder.resolve("second"));
        assertThat(first.keySet()).isEqualTo(second.keySet()).contains("raw/weblog.txt", "_wwi_sample.json",
                "weblogs/TransactionDay=2026-08-01/_SUCCESS", "chat/2026-08-03.txt");
        first.forEach((name, bytes) -> assertThat(second.get(name)).as(name).isEqualTo(bytes));
    }

    @Test
    void anotherSeedGivesOtherFiles() {
        TestingSampleData.generate(spec("first", 7));
        TestingSampleData.generate(spec("other", 8));
        Map<String, byte[]> first = TestingSampleData.snapshot(folder.resolve("first"));
        Map<String, byte[]> other = TestingSampleData.snapshot(folder.resolve("other"));
        assertThat(first.get("raw/weblog.txt")).isNotEqualTo(other.get("raw/weblog.txt"));
        assertThat(first.keySet().stream().filter(name -> name.endsWith(".parquet")))
                .doesNotContainAnyElementsOf(other.keySet());
    }

    @Test
    void aPreviousGenerationIsReplacedEntirely() throws Exception {
        WeblogSpec previous = spec("lake", 7);
        TestingSampleData.generate(previous);
        Files.writeString(previous.out().resolve("weblogs/TransactionDay=2026-08-01/stray.txt"), "left over");

        TestingSampleData.generate(previous.withSeed(99));
        TestingSampleData.generate(spec("fresh", 99));

        Map<String, byte[]> replaced = TestingSampleData.snapshot(previous.out());
        Map<String, byte[]> fresh = TestingSampleData.snapshot(folder.resolve("fresh"));
        assertThat(replaced).doesNotContainKey("weblogs/TransactionDay=2026-08-01/stray.txt");
        assertThat(replaced.keySet()).isEqualTo(fresh.keySet());
        fresh.forEach((name, bytes) -> assertThat(replaced.get(name)).as(name).isEqualTo(bytes));
    }

    private WeblogSpec spec(String name, long seed) {
        return new WeblogSpec(folder.resolve(name), 20_000, seed, TestingSampleData.START, 3, 1_000, 200);
    }
}
