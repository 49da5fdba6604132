package org.wwi.platform.yaml;

import org.junit.jupiter.api.Test;
import org.wwi.platform.ErrorCode;
import org.wwi.platform.ErrorKind;
import org.wwi.platform.WwiException;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestYamlNode {
    private static final YamlErrors ERRORS = YamlErrors.of("Cannot read thing",
            (message, cause) -> new ThingException(message, cause));

    private static YamlNode parse(String text) {
        return YamlNode.parse("things/t.yaml", text, ERRORS);
    }

    @Test
    void nodesKnowTheirFileLineAndPath() {
        YamlNode root = parse("name: a\nsteps:\n  - name: b\n    from: stg.x\n  - name: c\n");
        YamlNode from = root.get("steps").items().get(0).get("from");
        assertThat(from.location()).hasToString("things/t.yaml:4 (steps[0].from)");
        assertThat(from.location().child("table")).hasToString("things/t.yaml:4 (steps[0].from.table)");
        assertThat(root.location()).hasToString("things/t.yaml:1");
        assertThat(root.get("nothing").location()).hasToString("things/t.yaml (nothing)");
        assertThatThrownBy(() -> root.get("steps").items().get(1).get("from").text())
                .isInstanceOf(ThingException.class)
                .hasMessage("Cannot read thing things/t.yaml (steps[1].from): a value is required (add it)");
        assertThat(from.error("bad", "fix it")).isInstanceOf(ThingException.class)
                .hasMessage("Cannot read thing things/t.yaml:4 (steps[0].from): bad (fix it)")
                .satisfies(e -> assertThat(((WwiException) e).code()).isEqualTo(ThingCode.INVALID));
    }

    @Test
    void unknownKeysNameTheClosestAllowedKey() {
        YamlNode root = parse("name: a\ndependz_on: b\n");
        assertThatThrownBy(() -> root.allowKeys(List.of("name", "depends_on", "when")))
                .hasMessage("Cannot read thing things/t.yaml:2 (dependz_on): unknown key 'dependz_on' "
                        + "(did you mean 'depends_on'? allowed here: name, depends_on, when)");
        assertThatThrownBy(() -> parse("zzz: 1\n").allowKeys(List.of("name", "steps")))
                .hasMessage("Cannot read thing things/t.yaml:1 (zzz): unknown key 'zzz' (allowed here: name, steps)");
        assertThat(root.allowKeys(List.of("name", "dependz_on"))).isSameAs(root);
        assertThat(YamlNode.closest("Sql_Tabel", List.of("sql", "sql_table"))).contains("sql_table");
        assertThat(YamlNode.closest("cubes", List.of("rollups"))).isEmpty();
    }

    @Test
    void aKeyMayAppearOnlyOnce() {
        assertThatThrownBy(() -> parse("a: 1\nb: 2\na: 3\n").entries())
                .isInstanceOf(ThingException.class)
                .hasMessage("Cannot read thing things/t.yaml:3 (a): 'a' appears twice (keep one of them)");
        assertThatThrownBy(() -> parse("x:\n  a: 1\n  a: 1\n").get("x").get("a"))
                .hasMessageContaining("(x.a): 'a' appears twice");
    }

    @Test
    void aSingleValueIsAListOfOne() {
        YamlNode root = parse("one: a\nmany: [a, b]\nlines:\n  - c\n  - d\nnone:\nmap: {k: v}\n");
        assertThat(root.get("one").texts()).containsExactly("a");
        assertThat(root.get("one").items()).singleElement().satisfies(n -> assertThat(n.path()).isEqualTo("one"));
        assertThat(root.get("many").texts()).containsExactly("a", "b");
        assertThat(root.get("lines").items().get(1).location()).hasToString("things/t.yaml:5 (lines[1])");
        assertThat(root.get("none").texts()).isEmpty();
        assertThat(root.get("absent").items()).isEmpty();
        assertThatThrownBy(() -> root.get("map").items())
                .hasMessage("Cannot read thing things/t.yaml:7 (map): expected a list "
                        + "(write [a, b] or one '- item' per line)");
    }

    @Test
    void numbersAreCheckedAgainstTheirRange() {
        YamlNode root = parse("files: 1_000\nmax: 101\npercent: 2.5\nword: ten\n");
        assertThat(root.get("files").number(0, 0, 1_000_000)).isEqualTo(1000);
        assertThat(root.get("absent").number(7, 0, 10)).isEqualTo(7);
        assertThat(root.get("max").number(0)).isEqualTo(101);
        assertThatThrownBy(() -> root.get("max").number(0, 0, 100))
                .hasMessage("Cannot read thing things/t.yaml:2 (max): 101 is out of range (use 0 to 100)");
        assertThatThrownBy(() -> root.get("word").number(0))
                .hasMessageContaining("(word): expected a whole number, not 'ten' (write digits only)");
        assertThat(root.get("percent").decimal(0, 0, 100)).isEqualTo(2.5);
        assertThatThrownBy(() -> root.get("percent").decimal(0, 0, 1))
                .hasMessageContaining("(percent): 2.5 is out of range (use 0.0 to 1.0)");
    }

    @Test
    void valuesOfOtherKinds() {
        YamlNode root = parse("enabled: yes\ndisabled: ' False'\nkind: Count-Distinct\nbatch: Per_File\n"
                + "text: |\n  x\n");
        assertThat(root.get("enabled").bool(false)).isTrue();
        assertThat(root.get("disabled").bool(true)).isFalse();
        assertThat(root.get("absent").bool(true)).isTrue();
        assertThat(root.get("kind").choice("sum", List.of("sum", "count_distinct"))).isEqualTo("count_distinct");
        assertThatThrownBy(() -> root.get("batch").choice(null, List.of("all_or_nothing")))
                .hasMessageContaining("(batch): 'Per_File' is not allowed (use one of: all_or_nothing)");
        assertThat(root.get("text").optionalText()).contains("x\n");
        assertThat(root.get("absent").optionalText()).isEmpty();
        assertThat(root.get("absent").text("d")).isEqualTo("d");
    }

    @Test
    void enumValuesSuggestTheClosestConstant() {
        assertThat(parse("t: Medium\n").get("t").enumValue(Size.class, "size")).isEqualTo(Size.MEDIUM);
        assertThatThrownBy(() -> parse("t: smal\n").get("t").enumValue(Size.class, "size"))
                .hasMessage("Cannot read thing things/t.yaml:1 (t): unknown size 'smal' (did you mean 'small'? "
                        + "expected one of: small, medium, large)");
    }

    @Test
    void brokenYamlNamesTheLineWithTheSyntaxHeading() {
        YamlErrors two = new YamlErrors("Cannot load thing:", "Cannot read thing:", ThingException::new);
        assertThatThrownBy(() -> YamlNode.parse("t.yaml", "a: 1\nb: [unclosed\n", two))
                .isInstanceOf(ThingException.class)
                .hasMessageStartingWith("Cannot read thing: t.yaml:3: ")
                .hasMessageEndingWith(" (fix the YAML syntax)")
                .hasCauseInstanceOf(org.yaml.snakeyaml.error.MarkedYAMLException.class);
        assertThat(YamlNode.parse("t.yaml", "a: {b: 1}\n", two).get("a").get("b").error("p", "h"))
                .hasMessage("Cannot load thing: t.yaml:1 (a.b): p (h)");
        assertThat(YamlNode.parse("t.yaml", "", two).isMissing()).isTrue();
        assertThat(YamlNode.parse("t.yaml", "", two).entries()).isEmpty();
        assertThatThrownBy(() -> YamlNode.parse("t.yaml", "[a]\n", two).entries())
                .hasMessage("Cannot load thing: t.yaml:1: expected a mapping "
                        + "(write 'key: value' lines indented under it)");
    }

    enum Size { SMALL, MEDIUM, LARGE }

    enum ThingCode implements ErrorCode {
        INVALID;

        @Override
        public ErrorKind kind() {
            return ErrorKind.USER;
        }
    }

    static final class ThingException extends WwiException {
        private static final long serialVersionUID = 1L;

        ThingException(String message, Throwable cause) {
            super(ThingCode.INVALID, message, cause);
        }
    }
}
