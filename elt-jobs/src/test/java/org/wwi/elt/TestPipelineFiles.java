package org.wwi.elt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPipelineFiles {

    private static Pipeline read(String yaml) {
        return read(yaml, Map.of());
    }

    private static Pipeline read(String yaml, Map<String, String> files) {
        return PipelineReader.read("pipelines/p.yaml", "p", yaml, f -> Optional.ofNullable(files.get(f)));
    }

    private static void fails(String yaml, String... parts) {
        assertThatThrownBy(() -> read(yaml, Map.of("x.sql", "select 1")))
                .isInstanceOf(EltException.class)
                .satisfies(e -> assertThat(((EltException) e).code()).isEqualTo(EltErrorCode.PIPELINE_INVALID))
                .hasMessageStartingWith("Cannot read pipeline pipelines/p.yaml:")
                .hasMessageContainingAll(parts);
    }

    @Test
    void theShippedPipelinesAreValid() {
        List<Pipeline> shipped = TestingWarehouse.shippedPipelines();
        assertThat(shipped).extracting(Pipeline::name).containsExactly("chat_transcripts", "raw_weblog_cleanup",
                "recommendations", "weblogs_daily");
        Pipeline weblogs = shipped.get(3);
        assertThat(weblogs.schedule()).get().extracting(Pipeline.Schedule::describe)
                .isEqualTo("cron 0 15 2 * * ? Europe/London");
        assertThat(weblogs.misfire()).isEqualTo(Pipeline.Misfire.RUN_ONCE);
        assertThat(shipped.get(0).schedule().get().describe()).isEqualTo("every 15 minutes");
        assertThat(shipped.get(0).misfire()).isEqualTo(Pipeline.Misfire.SKIP);
        // every step comes after the steps it depends on
        for (Pipeline p : shipped) {
            List<String> names = p.steps().stream().map(Step::name).toList();
            for (Step s : p.steps()) {
                for (String d : s.dependsOn()) {
                    assertThat(names.indexOf(d)).as(p.name() + "." + s.name()).isLessThan(names.indexOf(s.name()));
                }
            }
        }
        Steps.Sql facts = (Steps.Sql) weblogs.step("fact_web_event").orElseThrow();
        assertThat(facts.writes()).containsExactly("dw.dim_product", "dw.fact_web_event");
        assertThat(facts.reads()).contains("stg.weblog", "dw.dim_product", "dw.dim_customer", "elt.file");
    }

    @Test
    void theJarCarriesTheSamePipelines() {
        assertThat(PipelineFiles.readShipped()).extracting(Pipeline::hash)
                .containsExactlyElementsOf(TestingWarehouse.shippedPipelines().stream().map(Pipeline::hash).toList());
    }

    @Test
    void readsEveryStepKind() {
        Pipeline p = read("""
                description: all kinds
                schedule: {every: 5 minutes}
                misfire: skip
                parameters: {limit: "7"}
                steps:
                  - {name: l, kind: load, from: ext.t, into: stg.t, batch: per_file, window_column: Day, max_files: 3,
                     columns: {a: A}}
                  - {name: s, kind: sql, file: x.sql, depends_on: l, when: always}
                  - {name: m, kind: merge, from: stg.t, into: dw.t, key: [id], columns: [a, b], set: {u: now()}}
                  - {name: d, kind: scd2, from: stg.t, into: dw.d, key: id, columns: {a: src_a},
                     hard_deletes: close, first_valid_from: run_time}
                  - name: t
                    kind: test
                    tests:
                      - not_null: {table: dw.t, column: a}
                      - unique: {table: dw.t, columns: [a, b], where: "x > ${limit}"}
                        severity: warn
                      - accepted_values: {table: dw.t, column: a, values: [x, y]}
                      - relationships: {table: dw.t, column: k, to: dw.d}
                      - row_count: {table: dw.t, max_decrease_percent: 10}
                      - freshness: {table: dw.t, column: ts, max_age: 6 hours}
                  - {name: r, kind: refresh, table: mart.r, sql: x.sql, indexes: [[a, b], c], allow_empty: true}
                  - {name: mr, kind: refresh, rollups: all, max_shrink_percent: 50}
                """, Map.of("x.sql", "insert into dw.t select * from stg.t join dw.d using (id) where n < ${limit}"));
        assertThat(p.schedule().get().every()).contains(Duration.ofMinutes(5));
        assertThat(p.misfire()).isEqualTo(Pipeline.Misfire.SKIP);
        assertThat(p.steps()).extracting(Step::kind).containsExactly("load", "sql", "merge", "scd2", "test",
                "refresh", "refresh");
        Steps.Load l = (Steps.Load) p.steps().get(0);
        assertThat(l.batch()).isEqualTo(Steps.Batch.PER_FILE);
        assertThat(l.windowColumn()).contains("Day");
        assertThat(l.maxFiles()).isEqualTo(3);
        assertThat(l.columns()).containsEntry("a", "A");
        assertThat(l.requireSuccess()).isTrue();
        Steps.Sql s = (Steps.Sql) p.steps().get(1);
        assertThat(s.when()).isEqualTo(Steps.When.ALWAYS);
        assertThat(s.writes()).containsExactly("dw.t");
        assertThat(s.reads()).containsExactly("stg.t", "dw.d");
        assertThat(((Steps.Merge) p.steps().get(2)).when()).isEqualTo(Steps.When.NEW_DATA);
        Steps.Scd2 d = (Steps.Scd2) p.steps().get(3);
        assertThat(d.closeDeleted()).isTrue();
        assertThat(d.firstFromInfinity()).isFalse();
        assertThat(d.columns()).containsEntry("a", "src_a");
        Steps.Test t = (Steps.Test) p.steps().get(4);
        assertThat(t.tests()).extracting(Steps.DataTest::name).containsExactly("not_null(dw.t.a)",
                "unique(dw.t.a,b)", "accepted_values(dw.t.a)", "relationships(dw.t.k)", "row_count(dw.t)",
                "freshness(dw.t.ts)");
        assertThat(t.tests().get(1).warn()).isTrue();
        assertThat(t.tests().get(3).toColumn()).contains("k");
        assertThat(t.tests().get(5).maxAge()).contains(Duration.ofHours(6));
        Steps.Refresh r = (Steps.Refresh) p.steps().get(5);
        assertThat(r.indexes()).containsExactly(List.of("a", "b"), List.of("c"));
        assertThat(((Steps.Refresh) p.steps().get(6)).modelRollups()).containsExactly("*");
    }

    @Test
    void cronSchedulesHaveATimeZone() {
        Pipeline p = read("""
                schedule: {cron: "0 15 2 * * ?", time_zone: Europe/London}
                steps: [{name: s, kind: sql, file: x.sql}]
                """, Map.of("x.sql", "select 1"));
        assertThat(p.schedule().get().timeZone()).isEqualTo(ZoneId.of("Europe/London"));
        assertThat(p.schedule().get().cron()).contains("0 15 2 * * ?");
        assertThat(((Steps.Sql) p.steps().get(0)).when()).isEqualTo(Steps.When.ALWAYS);
    }

    @Test
    void ordersStepsByDependencies() {
        Pipeline p = read("""
                steps:
                  - {name: c, kind: sql, file: x.sql, depends_on: [b]}
                  - {name: a, kind: sql, file: x.sql}
                  - {name: b, kind: sql, file: x.sql, depends_on: [a]}
                """, Map.of("x.sql", "select 1"));
        assertThat(p.steps()).extracting(Step::name).containsExactly("a", "b", "c");
    }

    @Test
    void errorsNameTheFileTheLineThePathAndTheFix() {
        fails("steps:\n  - {name: a, kind: sql, file: x.sql, dependz_on: b}\n", ":2 (steps[0].dependz_on)",
                "unknown key 'dependz_on'", "did you mean 'depends_on'?");
        fails("steps:\n  - {name: a, kind: lode}\n", "(steps[0].kind)", "'lode' is not allowed",
                "load, sql, merge, scd2, test, refresh");
        fails("schedule: {cron: 'at two every night'}\nsteps: [{name: a, kind: sql, file: x.sql}]\n", "(schedule.cron)",
                "is not a Quartz cron expression");
        fails("schedule: {cron: '0 15 2 * * ?', time_zone: Mars/Olympus}\nsteps: [{name: a, kind: sql, file: x.sql}]\n",
                "(schedule.time_zone)", "unknown time zone 'Mars/Olympus'");
        fails("schedule: {every: fortnightly}\nsteps: [{name: a, kind: sql, file: x.sql}]\n", "(schedule.every)",
                "write e.g. 5 minutes");
        fails("steps: [{name: a, kind: sql, file: missing.sql}]\n", "(steps[0].file)",
                "there is no file missing.sql beside the pipeline");
        fails("steps: [{name: a, kind: sql, file: ../etc/passwd}]\n", "leaves the pipelines folder");
        fails("steps: [{name: a, kind: sql, file: x.sql, depends_on: b}]\n", "(steps[0].depends_on)",
                "there is no step 'b'");
        fails("steps:\n  - {name: a, kind: sql, file: x.sql, depends_on: b}\n  - {name: b, kind: sql, file: x.sql, "
                + "depends_on: a}\n", "cycle (a -> b)");
        fails("steps:\n  - {name: a, kind: sql, file: x.sql}\n  - {name: a, kind: sql, file: x.sql}\n",
                "(steps[1].name)", "a second step is called 'a'");
        fails("name: q\nsteps: [{name: a, kind: sql, file: x.sql}]\n", "(name)", "differs from the file name 'p'");
        fails("steps: [{name: a, kind: load, from: weblogs, into: stg.w}]\n", "(steps[0].from)",
                "'weblogs' is not a table name", "schema.table");
        fails("steps: [{name: a, kind: test, tests: [{not_null: {table: dw.t}}]}]\n", "(steps[0].tests[0].not_null)",
                "test not_null needs a column");
        fails("steps: [{name: a, kind: test, tests: [{freshness: {table: dw.t, column: c, max_age: soon}}]}]\n",
                "'soon' is not a duration");
        fails("steps: [{name: a, kind: refresh, rollups: all, table: mart.x}]\n", "either rollups:");
        fails("steps:\n  - {name: a, kind: sql, file: x.sql\n", "fix the YAML syntax");
        fails("steps: []\n", "a pipeline needs steps");
    }

    @Test
    void placeholdersMustBeParametersOrBuiltIn() {
        assertThatThrownBy(() -> read("steps: [{name: a, kind: sql, file: x.sql}]\n",
                Map.of("x.sql", "select ${window_start}, ${nope}")))
                .hasMessageContaining("(steps[0].file)")
                .hasMessageContaining("${nope} is neither a parameter nor built in");
        assertThat(Placeholders.expand("a $${x} ${y}", Map.of("y", "1"), "f")).isEqualTo("a ${x} 1");
    }

    @Test
    void aProjectFolderOverridesTheShippedPipelines(@TempDir Path home) throws IOException {
        Path dir = Files.createDirectories(home.resolve("elt-jobs/pipelines"));
        Files.createDirectories(dir.resolve("sql"));
        Files.writeString(dir.resolve("sql/one.sql"), "select 1");
        Files.writeString(dir.resolve("mine.yaml"), "steps: [{name: a, kind: sql, file: sql/one.sql}]");
        assertThat(PipelineFiles.readProject(home)).extracting(Pipeline::name).containsExactly("mine");
        assertThat(PipelineFiles.readProject(home.resolve("nothing-here"))).hasSize(4);
    }
}
