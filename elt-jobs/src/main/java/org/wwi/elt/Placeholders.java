package org.wwi.elt;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${name}} placeholders in pipeline SQL: the pipeline's parameters and the run's values
 * ({@link #BUILT_IN}). {@code $${} writes a literal {@code ${}.
 */
final class Placeholders {
    /** Values every run provides. */
    static final Set<String> BUILT_IN = Set.of("run_id", "pipeline", "window_start", "window_end", "as_of",
            "batch_files", "batch_paths");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$?\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private Placeholders() {
    }

    /** The placeholder names used in {@code text}. */
    static Set<String> names(String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (!m.group().startsWith("$$")) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** {@code text} with each placeholder replaced; an unknown one is an error naming {@code where}. */
    static String expand(String text, Map<String, String> values, String where) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String replacement;
            if (m.group().startsWith("$$")) {
                replacement = m.group().substring(1);
            } else {
                replacement = values.get(m.group(1));
                if (replacement == null) {
                    throw new EltException(EltErrorCode.PIPELINE_INVALID, "Cannot expand ${" + m.group(1) + "} in "
                            + where + ": no such parameter (declare it under parameters:, or use one of "
                            + String.join(", ", BUILT_IN.stream().sorted().toList()) + ")");
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
