package org.wwi.platform.yaml;

import org.wwi.platform.WwiException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A node of a YAML file that knows where it is: the file (as shown to the user), its line and its
 * path inside the document ({@code steps[3].tests[0].unique.columns}). Every accessor that fails
 * says all three and what to write instead, through the caller's {@link YamlErrors}, so an error in
 * a pipeline or a model is never a bare parser exception and always the module's own exception:
 *
 * <pre>{@code
 * YamlNode root = YamlNode.parse(file, text, YamlErrors.of("Cannot read pipeline",
 *         (message, cause) -> new EltException(EltErrorCode.PIPELINE_INVALID, message, cause)));
 * root.allowKeys(List.of("name", "steps"));
 * for (YamlNode step : root.get("steps").items()) { ... step.get("name").text() ... }
 * }</pre>
 *
 * A missing key is a missing node (never null): {@code text(default)}, {@code entries()} and
 * {@code items()} treat it as absent, {@code text()} fails. Keys must be unique in a mapping.
 */
public final class YamlNode {
    /** Largest document, in code points (snakeyaml's default is 3 MB). */
    static final int CODE_POINT_LIMIT = 16 * 1024 * 1024;

    private final YamlErrors errors;
    private final String file;
    private final String path;
    private final Node node;

    private YamlNode(YamlErrors errors, String file, String path, Node node) {
        this.errors = errors;
        this.file = file;
        this.path = path;
        this.node = node;
    }

    /**
     * Parses a document; an empty document is a missing node (an empty mapping).
     *
     * @param file   the file as shown in messages, e.g. {@code elt-jobs/pipelines/weblogs_daily.yaml}
     * @param text   the YAML
     * @param errors the headings of messages and the exception they become
     */
    public static YamlNode parse(String file, String text, YamlErrors errors) {
        requireNonNull(file, "file is null");
        requireNonNull(text, "text is null");
        requireNonNull(errors, "errors is null");
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(CODE_POINT_LIMIT);
        try {
            return new YamlNode(errors, file, "", new Yaml(options).compose(new StringReader(text)));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw errors.error(errors.syntaxHeading() + " " + file + ":" + line + ": " + e.getProblem()
                    + " (fix the YAML syntax)", e);
        } catch (YAMLException e) {
            throw errors.error(errors.syntaxHeading() + " " + file + ": " + e.getMessage()
                    + " (fix the YAML syntax)", e);
        }
    }

    /** Where this node is, e.g. {@code models/sales.yaml:14 (cubes.sales.measures.revenue)}. */
    public Location location() {
        int line = node == null ? 0 : node.getStartMark().getLine() + 1;
        return new Location(file, line, path, errors);
    }

    /** The path inside the document, e.g. {@code steps[2].from}; empty for the root. */
    public String path() {
        return path;
    }

    /** An error at this node: "HEADING FILE:LINE (PATH): PROBLEM (HINT)". */
    public WwiException error(String problem, String hint) {
        return location().error(problem, hint);
    }

    /** Absent, or an explicit null ({@code key:} or {@code key: ~}). */
    public boolean isMissing() {
        return node == null || node instanceof ScalarNode s && s.getTag().getValue().endsWith(":null");
    }

    public boolean isMap() {
        return node instanceof MappingNode;
    }

    public boolean isList() {
        return node instanceof SequenceNode;
    }

    /** A single value that is there. */
    public boolean isScalar() {
        return node instanceof ScalarNode && !isMissing();
    }

    /** The entries of a mapping in document order; a missing node is an empty mapping; a key may appear once. */
    public Map<String, YamlNode> entries() {
        if (isMissing()) {
            return Map.of();
        }
        if (!(node instanceof MappingNode m)) {
            throw error("expected a mapping", "write 'key: value' lines indented under it");
        }
        Map<String, YamlNode> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw new YamlNode(errors, file, path, t.getKeyNode())
                        .error("a key must be a plain name", "use a name");
            }
            String key = k.getValue();
            YamlNode child = new YamlNode(errors, file, childPath(key), t.getValueNode());
            if (out.put(key, child) != null) {
                throw child.error("'" + key + "' appears twice", "keep one of them");
            }
        }
        return out;
    }

    /** Fails on a key outside {@code allowed}, naming the closest allowed key (typos do not pass silently). */
    public YamlNode allowKeys(Collection<String> allowed) {
        for (Map.Entry<String, YamlNode> e : entries().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                String near = closest(e.getKey(), allowed).map(c -> "did you mean '" + c + "'? ").orElse("");
                throw e.getValue().error("unknown key '" + e.getKey() + "'", near + "allowed here: "
                        + String.join(", ", allowed));
            }
        }
        return this;
    }

    /** The child, or a missing node (never null). */
    public YamlNode get(String key) {
        YamlNode child = entries().get(key);
        return child != null ? child : new YamlNode(errors, file, childPath(key), null);
    }

    /** The items of a list; a single value is a list of one; a missing node is an empty list. */
    public List<YamlNode> items() {
        if (isMissing()) {
            return List.of();
        }
        if (node instanceof ScalarNode) {
            return List.of(this);
        }
        if (!(node instanceof SequenceNode s)) {
            throw error("expected a list", "write [a, b] or one '- item' per line");
        }
        List<YamlNode> out = new ArrayList<>();
        for (int i = 0; i < s.getValue().size(); i++) {
            out.add(new YamlNode(errors, file, path + "[" + i + "]", s.getValue().get(i)));
        }
        return out;
    }

    /** A list of texts: {@code [a, b]}, or a single {@code a}; a missing node is an empty list. */
    public List<String> texts() {
        return items().stream().map(YamlNode::text).toList();
    }

    /** The text of a value that must be there. */
    public String text() {
        if (isMissing()) {
            throw error("a value is required", "add it");
        }
        if (!(node instanceof ScalarNode s)) {
            throw error("expected a single value", "write a plain value, not a list or mapping");
        }
        return s.getValue();
    }

    public String text(String defaultValue) {
        return isMissing() ? defaultValue : text();
    }

    public Optional<String> optionalText() {
        return isMissing() ? Optional.empty() : Optional.of(text());
    }

    /** true / yes / on or false / no / off, in any case. */
    public boolean bool(boolean defaultValue) {
        if (isMissing()) {
            return defaultValue;
        }
        return switch (text().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error("expected true or false, not '" + text() + "'", "write true or false");
        };
    }

    /** A whole number; {@code _} may group digits ({@code 1_000_000}). */
    public long number(long defaultValue) {
        return number(defaultValue, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** A whole number from {@code min} to {@code max}; {@code _} may group digits. */
    public long number(long defaultValue, long min, long max) {
        if (isMissing()) {
            return defaultValue;
        }
        long n;
        try {
            n = Long.parseLong(text().trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw error("expected a whole number, not '" + text() + "'", "write digits only");
        }
        if (n < min || n > max) {
            throw error(n + " is out of range", "use " + min + " to " + max);
        }
        return n;
    }

    /** A number such as {@code 2.5} from {@code min} to {@code max}. */
    public double decimal(double defaultValue, double min, double max) {
        if (isMissing()) {
            return defaultValue;
        }
        double d;
        try {
            d = Double.parseDouble(text().trim());
        } catch (NumberFormatException e) {
            throw error("expected a number, not '" + text() + "'", "write e.g. 10 or 2.5");
        }
        if (!(d >= min && d <= max)) {
            throw error(text() + " is out of range", "use " + min + " to " + max);
        }
        return d;
    }

    /** One of {@code choices} (case-insensitive, '-', ' ' and '_' alike), returned lower case with '_'. */
    public String choice(String defaultValue, List<String> choices) {
        if (isMissing()) {
            return defaultValue;
        }
        String t = text().trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        if (!choices.contains(t)) {
            throw error("'" + text() + "' is not allowed", "use one of: " + String.join(", ", choices));
        }
        return t;
    }

    /**
     * The constant of {@code type} whose name this value is (case-insensitive); an unknown value fails
     * naming the closest constant, e.g. "unknown measure type 'summ' (did you mean 'sum'? ...)".
     *
     * @param what what the value is, for the message (e.g. {@code measure type})
     */
    public <E extends Enum<E>> E enumValue(Class<E> type, String what) {
        String t = text().trim().toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            String name = e.name().toLowerCase(Locale.ROOT);
            if (name.equals(t)) {
                return e;
            }
            names.add(name);
        }
        String near = closest(t, names).map(c -> "did you mean '" + c + "'? ").orElse("");
        throw error("unknown " + what + " '" + text() + "'", near + "expected one of: " + String.join(", ", names));
    }

    /**
     * The candidate closest to {@code word} (case-insensitive edit distance), if it is close enough to
     * be a typo of it: at most 2 edits, or a third of the word's length for longer words.
     */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= Math.max(2, word.length() / 3) ? Optional.of(best) : Optional.empty();
    }

    private String childPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    @Override
    public String toString() {
        return "YamlNode(" + location() + ")";
    }
}
