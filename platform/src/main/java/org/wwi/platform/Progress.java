package org.wwi.platform;

import java.io.PrintStream;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Progress of a long operation (rows, files, targets). On a terminal it redraws one line
 * with a bar; otherwise it writes a plain log line at most every few seconds, so CI logs
 * stay readable. {@link #none()} reports nothing (tests, nested operations).
 */
public abstract class Progress implements AutoCloseable {

    /** Adds {@code delta} units of work done. */
    public abstract void advance(long delta);

    /** Sets an extra note shown after the counts (e.g. the current file). */
    public abstract void note(String note);

    @Override
    public abstract void close();

    /** Progress that reports nothing. */
    public static Progress none() {
        return new Progress() {
            @Override
            public void advance(long delta) {
            }

            @Override
            public void note(String note) {
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * Progress on standard error: a bar when a console is attached, plain lines otherwise.
     *
     * @param label what is being done, e.g. "weblogs rows"
     * @param total expected units, or -1 when unknown
     * @param unit  what a unit is, e.g. "rows", "files", "targets"
     */
    public static Progress onTerminal(String label, long total, String unit) {
        return new Printing(System.err, System.console() != null, label, total, unit);
    }

    static final class Printing extends Progress {
        private static final long LINE_INTERVAL_NANOS = 5_000_000_000L;
        private static final long BAR_INTERVAL_NANOS = 200_000_000L;

        private final PrintStream out;
        private final boolean interactive;
        private final String label;
        private final long total;
        private final String unit;
        private final long startNanos = System.nanoTime();
        private long done;
        private long lastPrint;
        private String note = "";
        private boolean closed;

        Printing(PrintStream out, boolean interactive, String label, long total, String unit) {
            this.out = requireNonNull(out, "out is null");
            this.interactive = interactive;
            this.label = requireNonNull(label, "label is null");
            this.total = total;
            this.unit = requireNonNull(unit, "unit is null");
            this.lastPrint = startNanos;
        }

        @Override
        public synchronized void advance(long delta) {
            done += delta;
            long now = System.nanoTime();
            if (now - lastPrint >= (interactive ? BAR_INTERVAL_NANOS : LINE_INTERVAL_NANOS)) {
                lastPrint = now;
                print(false);
            }
        }

        @Override
        public synchronized void note(String note) {
            this.note = note == null ? "" : note;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            print(true);
        }

        private void print(boolean last) {
            double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
            String rate = String.format(Locale.ROOT, "%,.0f %s/s", done / seconds, unit);
            String counts = total > 0
                    ? String.format(Locale.ROOT, "%,d/%,d %s", done, total, unit)
                    : String.format(Locale.ROOT, "%,d %s", done, unit);
            String suffix = note.isEmpty() ? "" : "  " + note;
            if (interactive) {
                String bar = total > 0 ? bar(done, total) + " " : "";
                out.print("\r\033[K" + label + " " + bar + counts + "  " + rate + suffix);
                if (last) {
                    out.println();
                }
            } else {
                out.println(label + ": " + counts + " (" + rate + ")" + suffix + (last ? " done" : ""));
            }
            out.flush();
        }

        private static String bar(long done, long total) {
            int width = 24;
            int filled = (int) Math.min(width, done * width / total);
            return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "]";
        }
    }
}
