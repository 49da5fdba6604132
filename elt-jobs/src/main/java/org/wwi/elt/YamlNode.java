package org.wwi.elt;

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
 * A node of a pipeline file that knows where it is: the file, its line and its path inside the
 * document ({@code steps[3].tests[0].unique.columns}). Every accessor that fails says all three
 * and what to write instead, so a pipeline error is never a bare parser exception.
 */
final class YamlNode {
    private final String file;
    private final String path;
    private final Node node;

    private YamlNode(String file, String path, Node node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    static YamlNode parse(String file, String text) {
        requireNonNull(file, "file is null");
        requireNonNull(text, "text is null");
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try {
            return new YamlNode(file, "", new Yaml(options).compose(new StringReader(text)));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new EltException(EltErrorCode.PIPELINE_INVALID, "Cannot read pipeline " + file + ":" + line + ": "
                    + e.getProblem() + " (fix the YAML syntax)", e);
        } catch (YAMLException e) {
            throw new EltException(EltErrorCode.PIPELINE_INVALID, "Cannot read pipeline " + file + ": "
                    + e.getMessage() + " (fix the YAML syntax)", e);
        }
    }

    String file() {
        return file;
    }

    String path() {
        return path;
    }

    /** {@code pipelines/x.yaml:12 (steps[2].from)}. */
    String where() {
        int line = node == null ? 0 : node.getStartMark().getLine() + 1;
        return file + (line > 0 ? ":" + line : "") + (path.isEmpty() ? "" : " (" + path + ")");
    }

    /** An error at this node: "Cannot read pipeline FILE:LINE (PATH): PROBLEM (HINT)". */
    EltException error(String problem, String hint) {
        return new EltException(EltErrorCode.PIPELINE_INVALID, "Cannot read pipeline " + where() + ": " + problem
                + " (" + hint + ")");
    }

    boolean isMissing() {
        return node == null || node instanceof ScalarNode s && s.getTag().getValue().endsWith(":null");
    }

    boolean isMap() {
        return node instanceof MappingNode;
    }

    boolean isList() {
        return node instanceof SequenceNode;
    }

    Map<String, YamlNode> entries() {
        if (isMissing()) {
            return Map.of();
        }
        if (!(node instanceof MappingNode m)) {
            throw error("expected a mapping", "write 'key: value' lines indented under it");
        }
        Map<String, YamlNode> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw new YamlNode(file, path, t.getKeyNode()).error("a key must be a plain name", "use a name");
            }
            String key = k.getValue();
            out.put(key, new YamlNode(file, path.isEmpty() ? key : path + "." + key, t.getValueNode()));
        }
        return out;
    }

    /** Fails on a key outside {@code allowed}, naming the closest allowed key. */
    YamlNode allowKeys(Collection<String> allowed) {
        for (Map.Entry<String, YamlNode> e : entries().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                String near = closest(e.getKey(), allowed);
                throw e.getValue().error("unknown key '" + e.getKey() + "'", (near == null ? "" : "did you mean '"
                        + near + "'? ") + "allowed here: " + String.join(", ", allowed));
            }
        }
        return this;
    }

    YamlNode get(String key) {
        YamlNode child = entries().get(key);
        return child != null ? child : new YamlNode(file, path.isEmpty() ? key : path + "." + key, null);
    }

    /** The items of a list; a scalar is a list of one; missing is empty. */
    List<YamlNode> items() {
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
            out.add(new YamlNode(file, path + "[" + i + "]", s.getValue().get(i)));
        }
        return out;
    }

    String text() {
        if (isMissing()) {
            throw error("a value is required", "add it");
        }
        if (!(node instanceof ScalarNode s)) {
            throw error("expected a single value", "write a plain value, not a list or mapping");
        }
        return s.getValue();
    }

    String text(String defaultValue) {
        return isMissing() ? defaultValue : text();
    }

    Optional<String> optionalText() {
        return isMissing() ? Optional.empty() : Optional.of(text());
    }

    boolean bool(boolean defaultValue) {
        if (isMissing()) {
            return defaultValue;
        }
        return switch (text().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error("expected true or false, not '" + text() + "'", "write true or false");
        };
    }

    long number(long defaultValue, long min, long max) {
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

    double decimal(double defaultValue, double min, double max) {
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

    /** A list of texts: {@code [a, b]} or a single {@code a}. */
    List<String> texts() {
        return items().stream().map(YamlNode::text).toList();
    }

    /** One of {@code choices} (case-insensitive, '-' and '_' alike), lower case with '_'. */
    String choice(String defaultValue, List<String> choices) {
        if (isMissing()) {
            return defaultValue;
        }
        String t = text().trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        if (!choices.contains(t)) {
            throw error("'" + text() + "' is not allowed", "use one of: " + String.join(", ", choices));
        }
        return t;
    }

    private static String closest(String key, Collection<String> allowed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String a : allowed) {
            int d = distance(key.toLowerCase(Locale.ROOT), a);
            if (d < bestDistance) {
                bestDistance = d;
                best = a;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

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
}
