package org.wwi.elt;

import java.util.Optional;
import java.util.OptionalLong;

/** What a step executor returns; the runner adds the name, kind and duration. */
record StepOutcome(String status, int files, OptionalLong rowsIn, OptionalLong rowsOut, OptionalLong rowsRejected,
                   Optional<String> message) {

    static StepOutcome skipped(String why) {
        return new StepOutcome("skipped", 0, OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
                Optional.of(why));
    }

    static StepOutcome done(int files, Long in, Long out, Long rejected, String warnings) {
        return new StepOutcome(warnings == null || warnings.isEmpty() ? "succeeded" : "warned", files, of(in), of(out),
                of(rejected), Optional.ofNullable(warnings == null || warnings.isEmpty() ? null : warnings));
    }

    /** Succeeded, with a note (not a warning). */
    static StepOutcome noted(int files, Long in, Long out, Long rejected, String note) {
        return new StepOutcome("succeeded", files, of(in), of(out), of(rejected), Optional.of(note));
    }

    private static OptionalLong of(Long v) {
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }
}
