package org.wwi.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain-text table for terminal output: aligned columns, a ruler under the header. */
final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... header) {
        this.header = List.of(header);
    }

    TextTable row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("expected " + header.size() + " cells, got " + cells.length);
        }
        rows.add(Arrays.stream(cells).map(c -> c == null ? "" : String.valueOf(c)).toList());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out) {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        line(out, header, width);
        StringBuilder ruler = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            ruler.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        }
        out.println(ruler);
        for (List<String> r : rows) {
            line(out, r, width);
        }
        out.flush();
    }

    private static void line(PrintWriter out, List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            b.append(i == 0 ? "" : "  ").append(c);
            if (i < cells.size() - 1) {
                b.append(" ".repeat(width[i] - c.length()));
            }
        }
        out.println(b.toString().stripTrailing());
    }
}
