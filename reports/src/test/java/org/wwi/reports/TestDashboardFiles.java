package org.wwi.reports;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Dashboard files: roles and refresh (after a pipeline, on a cron schedule) and their errors. */
class TestDashboardFiles {
    private static Dashboard read(String yaml) {
        return DashboardReader.read("d", "dashboards/d.yaml", yaml);
    }

    private static final String TILES = "tiles:\n  - {id: revenue, kind: kpi, view: sales, measures: [revenue]}\n";

    @Test
    void refreshAfterAPipelineOnACronScheduleOrBoth() {
        Dashboard both = read("title: D\nroles: [analyst]\nrefresh: {after: weblogs_daily, cron: \"0 0 6 * * ?\", "
                + "time_zone: Europe/London}\n" + TILES);
        assertThat(both.refreshAfter()).hasValue("weblogs_daily");
        assertThat(both.refresh().cron()).hasValue("0 0 6 * * ?");
        assertThat(both.refresh().zone().getID()).isEqualTo("Europe/London");
        assertThat(both.refresh().describe()).isEqualTo("after weblogs_daily; cron 0 0 6 * * ? (Europe/London)");
        assertThat(both.roles()).containsExactly("analyst");
        Dashboard none = read("title: D\n" + TILES);
        assertThat(none.refresh().isEmpty()).isTrue();
        assertThat(none.roles()).isEmpty();
        assertThat(read("title: D\nrefresh: {cron: \"0 */15 * * * ?\"}\n" + TILES).refresh().zone().getID())
                .isEqualTo("UTC");
    }

    @Test
    void badRefreshesNameTheFileAndTheFix() {
        assertThatThrownBy(() -> read("title: D\nrefresh: {cron: \"every morning\"}\n" + TILES))
                .isInstanceOf(ReportsException.class)
                .hasMessageContaining("Cannot read dashboard dashboards/d.yaml: refresh.cron 'every morning' is not a "
                        + "Quartz cron expression")
                .hasMessageContaining("e.g. \"0 0 6 * * ?\"");
        assertThatThrownBy(() -> read("title: D\nrefresh: {}\n" + TILES))
                .hasMessageContaining("'refresh' needs 'after' or 'cron'");
        assertThatThrownBy(() -> read("title: D\nrefresh: {cron: \"0 0 6 * * ?\", time_zone: Mars/Olympus}\n" + TILES))
                .hasMessageContaining("refresh.time_zone 'Mars/Olympus' is unknown");
        assertThatThrownBy(() -> read("title: D\nrefresh: {every: day}\n" + TILES))
                .hasMessageContaining("unknown key 'every'").hasMessageContaining("after, cron, time_zone");
        assertThatThrownBy(() -> read("title: D\nroles: ['']\n" + TILES)).hasMessageContaining("'roles' has an empty entry");
    }

    @Test
    void theShippedDashboardsRefreshAfterTheirPipelines() {
        List<Dashboard> shipped = Reports.load(ReportsFixture.ROOT.resolve(Reports.FOLDER));
        assertThat(shipped).extracting(Dashboard::name).containsExactly("customer_behaviour", "elastic_jobs",
                "products", "recommendations", "sales_overview");
        assertThat(shipped).filteredOn(d -> d.name().equals("recommendations")).singleElement()
                .satisfies(d -> assertThat(d.refreshAfter()).hasValue("recommendations"));
    }
}
