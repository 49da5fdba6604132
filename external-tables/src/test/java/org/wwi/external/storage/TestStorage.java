package org.wwi.external.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.external.DataSourceDef;
import org.wwi.external.ExternalColumn;
import org.wwi.external.ExternalTableDef;
import org.wwi.external.ExternalType;
import org.wwi.external.RejectPolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Spark's folder conventions in listings: hidden files, Hive partitions, REQUIRE_SUCCESS_FILE. */
class TestStorage {
    private static final ExternalColumn ID = new ExternalColumn("Id", ExternalType.of(ExternalType.Kind.INT), true, false);
    private static final ExternalColumn DAY = new ExternalColumn("Day", ExternalType.of(ExternalType.Kind.DATE), false,
            true);

    private static void file(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private static Listing list(Path root, boolean requireSuccess) {
        ExternalTableDef t = new ExternalTableDef("ext", "events", List.of(ID, DAY), "/events/", "lake", "pq",
                RejectPolicy.DEFAULT, requireSuccess ? Map.of("require_success_file", "TRUE") : Map.of());
        DataSourceDef lake = new DataSourceDef("lake", "HADOOP", root.toUri(), Optional.empty());
        try (Storage s = Storage.open(lake, Optional.empty(), Map.of())) {
            return s.list(root.resolve("events").toUri(), t);
        }
    }

    /**
     * ADLS Gen2 ({@code abfss://}) with the dependencies as the pom trims them (no wildfly-openssl, no
     * azure-keyvault-core): the file system initializes over the JDK's TLS and an unreachable endpoint is
     * one STORAGE_FAILED error naming the location, not a missing class.
     */
    @Test
    void abfsWorksWithoutTheExcludedLibraries() throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        DataSourceDef lake = new DataSourceDef("adls", "HADOOP", java.net.URI.create("abfss://lake@127.0.0.1:" + port
                + "/"), Optional.of("adls_key"));
        String key = java.util.Base64.getEncoder().encodeToString(new byte[64]);
        ExternalTableDef t = new ExternalTableDef("ext", "events", List.of(ID), "/events/", "adls", "pq",
                RejectPolicy.DEFAULT, Map.of());
        try (Storage s = Storage.open(lake, Optional.of(new org.wwi.control.SecretStore.Secret("wwistorage",
                key.toCharArray())), Map.of("fs.azure.io.retry.max.retries", "0"))) {
            assertThat(s.configuration().get("fs.azure.ssl.channel.mode")).isEqualTo("Default_JSSE");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.list(java.net.URI.create("abfss://lake@127.0.0.1:"
                            + port + "/events/"), t))
                    .isInstanceOf(org.wwi.external.ExternalException.class)
                    .hasMessageContaining("abfss://lake@127.0.0.1:" + port + "/events/")
                    .hasMessageNotContaining(key)
                    .satisfies(e -> assertThat(((org.wwi.external.ExternalException) e).code())
                            .isEqualTo(org.wwi.external.ExternalErrorCode.STORAGE_FAILED));
        }
        assertThat(Storage.class.getClassLoader().getResource("org/wildfly/openssl/OpenSSLProvider.class")).isNull();
    }

    @Test
    void aFolderWithoutSuccessCountsOnlyWhenTheTableDoesNotRequireIt(@TempDir Path root) throws IOException {
        Path events = root.resolve("events");
        file(events.resolve("Day=2026-08-01/part-00000.parquet"), "done");
        file(events.resolve("Day=2026-08-01/_SUCCESS"), "");
        file(events.resolve("Day=2026-08-01/.part-00000.parquet.crc"), "crc");
        file(events.resolve("Day=2026-08-02/part-00000.parquet"), "still being written");
        file(events.resolve("Day=2026-08-02/_started_123"), "");
        file(events.resolve("Day=2026-08-03/_committed_123"), "x");

        Listing required = list(root, true);
        assertThat(required.files()).extracting(f -> f.path().substring(f.path().indexOf("Day=")))
                .containsExactly("Day=2026-08-01/part-00000.parquet");
        assertThat(required.files().get(0).partitions()).containsEntry("Day", "2026-08-01");
        assertThat(required.skippedIncomplete()).singleElement().asString().endsWith("Day=2026-08-02");

        // once Spark writes _SUCCESS, the folder counts
        file(events.resolve("Day=2026-08-02/_SUCCESS"), "");
        assertThat(list(root, true).files()).hasSize(2);
        assertThat(list(root, true).skippedIncomplete()).isEmpty();

        Files.delete(events.resolve("Day=2026-08-02/_SUCCESS"));
        Listing lenient = list(root, false);
        assertThat(lenient.files()).hasSize(2);
        assertThat(lenient.skippedIncomplete()).isEmpty();
    }
}
