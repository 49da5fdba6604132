package org.wwi.external.read;

import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;
import org.wwi.external.TestingLake;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestFooterScan {

    private static List<Path> parts() throws IOException {
        try (Stream<Path> s = Files.walk(TestingLake.lake())) {
            return s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
    }

    private static byte[] footer(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int length = ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return Arrays.copyOfRange(bytes, bytes.length - 8 - length, bytes.length - 8);
    }

    @Test
    void numRowsAgreesWithParquetsThriftClasses() throws IOException {
        List<Path> parts = parts();
        assertThat(parts).isNotEmpty();
        long total = 0;
        for (Path p : parts) {
            byte[] footer = footer(p);
            FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(footer));
            long rows = FooterScan.numRows(footer, 0, footer.length);
            assertThat(rows).as(p.toString()).isEqualTo(meta.getNum_rows());
            if (p.getParent().getParent().getFileName().toString().equals("weblogs")) {
                total += rows;
            }
        }
        // every Parquet file of the sample lake agrees; its web logs hold the rows generated
        assertThat(total).isEqualTo(TestingLake.ROWS);
    }

    @Test
    void bytesAfterTheStructAreAllowedAndARangeInsideALargerArrayIsRead() throws IOException {
        byte[] footer = footer(parts().get(0));
        long expected = FooterScan.numRows(footer, 0, footer.length);
        // as in a tail read: bytes before the footer, then the footer, then a 28-byte signature
        byte[] padded = new byte[100 + footer.length + 28];
        Arrays.fill(padded, (byte) 0x5A);
        System.arraycopy(footer, 0, padded, 100, footer.length);
        assertThat(FooterScan.numRows(padded, 100, 100 + footer.length + 28)).isEqualTo(expected);
    }

    @Test
    void truncatedOrScrambledFootersAreRefused() throws IOException {
        byte[] footer = footer(parts().get(0));
        for (int cut : new int[] {0, 1, footer.length / 3, footer.length / 2, footer.length - 1}) {
            assertThatThrownBy(() -> FooterScan.numRows(footer, 0, cut)).as("cut at " + cut)
                    .isInstanceOf(FooterScan.Malformed.class);
        }
        byte[] scrambled = footer.clone();
        for (int i = 0; i < scrambled.length; i += 7) {
            scrambled[i] ^= 0x5A;
        }
        assertThatThrownBy(() -> FooterScan.numRows(scrambled, 0, scrambled.length))
                .isInstanceOf(FooterScan.Malformed.class);
        byte[] stopOnly = {0};
        assertThatThrownBy(() -> FooterScan.numRows(stopOnly, 0, 1)).isInstanceOf(FooterScan.Malformed.class)
                .hasMessageContaining("required field");
    }
}
