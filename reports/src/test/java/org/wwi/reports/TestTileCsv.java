package org.wwi.reports;

import org.junit.jupiter.api.Test;
import org.wwi.semantic.Format;
import org.wwi.semantic.QueryResult;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The CSV of a tile: RFC 4180 quoting, and cells a spreadsheet would run as formulas written as text. */
class TestTileCsv {
    private static final Dashboard.Tile TILE = new Dashboard.Tile("t", "T", Dashboard.Kind.TABLE, "sales",
            List.of("revenue"), List.of("product.name"), List.of(), List.of(), Optional.empty(), Optional.empty(),
            false, 2);

    private static String csv(List<List<Object>> rows) {
        QueryResult r = new QueryResult(List.of(
                new QueryResult.Column("name", Optional.of("product.name"), false, Types.VARCHAR, "VARCHAR",
                        Format.TEXT, -1, ""),
                new QueryResult.Column("revenue", Optional.of("revenue"), true, Types.DECIMAL, "DECIMAL",
                        Format.CURRENCY, -1, "")), rows, "", "", List.of(), Duration.ZERO);
        return new TileResult(TILE, r, Optional.empty(), Optional.empty(), Optional.empty(), "", List.of(),
                Duration.ZERO, Optional.empty()).csv();
    }

    @Test
    void cellsThatStartLikeAFormulaAreWrittenAsText() {
        String csv = csv(List.of(
                List.of("=HYPERLINK(\"http://x\",\"y\")", new BigDecimal("1.5")),
                List.of("+1", new BigDecimal("-2.25")),
                List.of("-2+3", BigDecimal.ZERO),
                List.of("@SUM(A1)", BigDecimal.ONE),
                List.of("\tcmd", BigDecimal.ONE),
                List.of("plain, with comma", BigDecimal.TEN)));
        assertThat(csv.split("\r\n", -1)).containsExactly(
                "name,revenue",
                "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",1.5",
                "'+1,-2.25",
                "'-2+3,0",
                "'@SUM(A1),1",
                "'\tcmd,1",
                "\"plain, with comma\",10",
                "");
    }

    @Test
    void nullsAreEmptyAndNumbersStayNumbers() {
        String csv = csv(List.of(Arrays.asList(null, new BigDecimal("-7")), Arrays.asList("a\"b", null)));
        assertThat(csv).isEqualTo("name,revenue\r\n,-7\r\n\"a\"\"b\",\r\n");
    }
}
