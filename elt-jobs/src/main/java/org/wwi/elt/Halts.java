package org.wwi.elt;

import org.wwi.platform.Progress;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test hook for crash tests: with the system property {@value #PROPERTY} set to a point name
 * (e.g. {@code load_weblogs:file:2:copied}, {@code fact_web_event:before-commit}), to
 * {@code STEP:rows:N} (after N rows of a load step, counted as the COPY sends them) or to
 * {@code STEP:file:I:rows:N} (after N rows of the step's I-th file), the process prints {@value #MARKER} and the
 * point on standard output when it gets there and then blocks, so that a test can kill it with
 * SIGKILL at exactly that point. Without the property it does nothing.
 */
final class Halts {
    static final String PROPERTY = "wwi.elt.halt";
    static final String MARKER = "WWI-ELT-HALTED";
    private static final String SPEC = System.getProperty(PROPERTY, "");

    private Halts() {
    }

    static boolean active() {
        return !SPEC.isEmpty();
    }

    /** Blocks forever (until killed) when {@code point} is the configured one. */
    static void at(String point) {
        if (!SPEC.isEmpty() && SPEC.equals(point)) {
            halt(point);
        }
    }

    /** A progress that halts after the configured number of rows of {@code scope}; {@code inner} otherwise. */
    static Progress rows(String scope, Progress inner) {
        String prefix = scope + ":rows:";
        if (!SPEC.startsWith(prefix)) {
            return inner;
        }
        long limit = Long.parseLong(SPEC.substring(prefix.length()));
        AtomicLong done = new AtomicLong();
        return new Progress() {
            @Override
            public void advance(long delta) {
                inner.advance(delta);
                if (done.addAndGet(delta) >= limit) {
                    halt(SPEC);
                }
            }

            @Override
            public void note(String note) {
                inner.note(note);
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    @SuppressWarnings("InfiniteLoopStatement")
    private static void halt(String point) {
        PrintStream out = System.out;
        out.println(MARKER + " " + point);
        out.flush();
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // keep blocking: only SIGKILL ends this process
            }
        }
    }
}
