package org.wwi.semantic;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.Reader;
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
 * A YAML node that knows where it is: the file (as shown to the user), the line and its path
 * inside the document ({@code cubes.sales.measures.revenue.type}). Every accessor fails with a
 * message naming all three and the fix, so a model error is never a bare parser exception.
 */
final class YNode {
    private final String file;
    private final String path;
    private final Node node;

    private YNode(String file, String path, Node node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    /** Parses a document; an empty document is an empty mapping. */
    static YNode parse(String file, String text) {
        requireNonNull(file, "file is null");
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(16 * 1024 * 1024);
        try (Reader r = new StringReader(text)) {
            Node root = new Yaml(options).compose(r);
            return new YNode(file, "", root);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new SemanticException(SemanticErrorCode.MODEL_INVALID, "Cannot read semantic model: " + file
                    + ":" + line + ": " + e.getProblem() + " (fix the YAML syntax)", e);
        } catch (YAMLException | IOException e) {
            throw new SemanticException(SemanticErrorCode.MODEL_INVALID, "Cannot read semantic model: " + file
                    + ": " + e.getMessage() + " (fix the YAML syntax)", e);
        }
    }

    /** Where this node is, e.g. {@code models/sales.yaml:14 (cubes.sales.measures.revenue)}. */
    Location location() {
        int line = node == null ? 0 : node.getStartMark().getLine() + 1;
        return new Location(file, line, path);
    }

    String path() {
        return path;
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

    boolean isScalar() {
        return node instanceof ScalarNode && !isMissing();
    }

    /** The entries of a mapping in document order; a missing node is an empty mapping. */
    Map<String, YNode> entries() {
        if (isMissing()) {
            return Map.of();
        }
        if (!(node instanceof MappingNode m)) {
            throw error("expected a mapping of names to entries", "write 'name:' lines indented under it");
        }
        Map<String, YNode> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw new YNode(file, path, t.getKeyNode()).error("keys must be plain names", "use a name as key");
            }
            String key = k.getValue();
            YNode child = new YNode(file, path.isEmpty() ? key : path + "." + key, t.getValueNode());
            if (out.put(key, child) != null) {
                throw child.error("'" + key + "' appears twice", "keep one of them");
            }
        }
        return out;
    }

    /** Fails on keys outside {@code allowed}, suggesting the closest one (typos do not pass silently). */
    YNode allowKeys(Collection<String> allowed) {
        for (Map.Entry<String, YNode> e : entries().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                String closest = closest(e.getKey(), allowed);
                throw e.getValue().error("unknown key '" + e.getKey() + "'", closest == null
                        ? "allowed keys: " + String.join(", ", allowed)
                        : "did you mean '" + closest + "'? allowed keys: " + String.join(", ", allowed));
            }
        }
        return this;
    }

    /** The child, or a missing node (never null). */
    YNode get(String key) {
        YNode child = entries().get(key);
        return child != null ? child : new YNode(file, path.isEmpty() ? key : path + "." + key, null);
    }

    /** The items of a list; a single scalar is a list of one; a missing node is an empty list. */
    List<YNode> items() {
        if (isMissing()) {
            return List.of();
        }
        if (node instanceof ScalarNode) {
            return List.of(this);
        }
        if (!(node instanceof SequenceNode s)) {
            throw error("expected a list", "write '[a, b]' or one '- item' per line");
        }
        List<YNode> out = new ArrayList<>();
        for (int i = 0; i < s.getValue().size(); i++) {
            out.add(new YNode(file, path + "[" + i + "]", s.getValue().get(i)));
        }
        return out;
    }

    /** The text of a scalar. */
    String text() {
        if (isMissing()) {
            throw error("a value is required", "add a value");
        }
        if (!(node instanceof ScalarNode s)) {
            throw error("expected a single value", "write a plain value, not a list or mapping");
        }
        return s.getValue();
    }

    Optional<String> optionalText() {
        return isMissing() ? Optional.empty() : Optional.of(text());
    }

    String text(String defaultValue) {
        return isMissing() ? defaultValue : text();
    }

    boolean bool(boolean defaultValue) {
        if (isMissing()) {
            return defaultValue;
        }
        String t = text().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error("expected true or false, not '" + text() + "'", "write true or false");
        };
    }

    long number(long defaultValue) {
        if (isMissing()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(text().trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw error("expected a whole number, not '" + text() + "'", "write digits only");
        }
    }

    /** A list of names: {@code [a, b]}, {@code a} or {@code "*"}. */
    List<String> names() {
        return items().stream().map(YNode::text).toList();
    }

    <E extends Enum<E>> E enumValue(Class<E> type, String what) {
        String t = text().trim().toLowerCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(t)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        String closest = closest(t, names);
        throw error("unknown " + what + " '" + text() + "'", (closest == null ? "" : "did you mean '" + closest
                + "'? ") + "expected one of: " + String.join(", ", names));
    }

    /** An error at this node: "Cannot load semantic model: FILE:LINE (PATH): PROBLEM (FIX)". */
    SemanticException error(String problem, String fix) {
        return location().error(problem, fix);
    }

    static String closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= Math.max(2, word.length() / 3) ? best : null;
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

    /** A place in a model file. */
    record Location(String file, int line, String path) {
        Location {
            requireNonNull(file, "file is null");
            requireNonNull(path, "path is null");
        }

        Location child(String key) {
            return new Location(file, line, path.isEmpty() ? key : path + "." + key);
        }

        SemanticException error(String problem, String fix) {
            return new SemanticException(SemanticErrorCode.MODEL_INVALID, "Cannot load semantic model: " + this
                    + ": " + problem + " (" + fix + ")");
        }

        @Override
        public String toString() {
            return file + (line > 0 ? ":" + line : "") + (path.isEmpty() ? "" : " (" + path + ")");
        }
    }
}
