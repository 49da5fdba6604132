package org.wwi.external.catalog;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Flyway's checksum of a migration: CRC32 over its lines without line ends (so CRLF and LF agree). */
final class Checksums {
    private Checksums() {
    }

    static int crc32OfLines(String content) {
        CRC32 crc = new CRC32();
        String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
        text.lines().forEach(line -> crc.update(line.getBytes(StandardCharsets.UTF_8)));
        return (int) crc.getValue();
    }
}
