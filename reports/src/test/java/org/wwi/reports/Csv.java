package org.wwi.reports;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads the tiles' CSV (RFC 4180) in the tests; numbers become what {@link ReportsFixture#normalize} makes. */
final class Csv {
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    private Csv() {
    }

    static List<List<String>> parse(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                cell.append(c);
            }
        }
        if (!row.isEmpty() || cell.length() > 0) {
            row.add(cell.toString());
            rows.add(row);
        }
        return rows;
    }

    /** Cells as values: empty is null, a number is a normalised BigDecimal, anything else its text. */
    static List<List<Object>> values(List<List<String>> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (List<String> r : rows) {
            List<Object> row = new ArrayList<>();
            for (String cell : r) {
                row.add(cell.isEmpty() ? null : NUMBER.matcher(cell).matches()
                        ? ReportsFixture.normalize(new BigDecimal(cell)) : cell);
            }
            out.add(row);
        }
        return out;
    }
}
