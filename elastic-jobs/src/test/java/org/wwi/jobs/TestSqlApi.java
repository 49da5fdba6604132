package org.wwi.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.platform.Database;
import org.wwi.testkit.WwiPostgres;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SQL API as a DBA uses it from psql (one statement per transaction): editing and deleting
 * steps and jobs makes versions, the views show the current one, errors say what to do.
 */
@ExtendWith(WwiPostgres.class)
class TestSqlApi {

    private static List<String> rows(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> cols = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    cols.add(rs.getString(i));
                }
                out.add(String.join(" ", cols));
            }
        }
        return out;
    }

    @Test
    void stepsAndJobsAreEditedAndDeletedInVersionsThatRunningExecutionsKeep(Database control, @TempDir Path tmp)
            throws SQLException {
        TestingControl.migrated(control, tmp);
        try (Connection c = control.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("select jobs.sp_add_server(server_name => 'api', host => 'localhost', port => 5432)");
            s.execute("select jobs.sp_add_target_group(target_group_name => 'g')");
            s.execute("select jobs.sp_add_target_group_member(target_group_name => 'g', target_type => "
                    + "'PostgresDatabase', server_name => 'api', database_name => 'x')");
            s.execute("select jobs.sp_add_job(job_name => 'api', description => 'sql api')");
            assertThat(rows(s, "select jobs.sp_add_jobstep(job_name => 'api', step_name => 'one', command => "
                    + "'select 1', target_group_name => 'g')")).containsExactly("2");
            assertThat(rows(s, "select jobs.sp_add_jobstep(job_name => 'api', step_name => 'two', command => "
                    + "'select 2', target_group_name => 'g')")).containsExactly("3");
            String started = rows(s, "select jobs.sp_start_job('api')").get(0); // keeps version 3

            assertThat(rows(s, "select jobs.sp_update_jobstep(job_name => 'api', step_name => 'one', command => "
                    + "'select 11', retry_attempts => 3, max_parallelism => 4)")).containsExactly("4");
            assertThat(rows(s, "select step_id, step_name, command, retry_attempts, max_parallelism from "
                    + "jobs.jobsteps where job_name = 'api' order by step_id"))
                    .containsExactly("1 one select 11 3 4", "2 two select 2 10 null");
            assertThat(rows(s, "select job_version, command from jobs.jobstep_versions where job_name = 'api' "
                    + "and step_name = 'one' order by job_version")).containsExactly("2 select 1", "3 select 1",
                    "4 select 11");

            assertThat(rows(s, "select jobs.sp_update_jobstep(job_name => 'api', step_name => 'two', new_id => 1)"))
                    .containsExactly("5");
            assertThat(rows(s, "select step_id, step_name from jobs.jobsteps where job_name = 'api' order by step_id"))
                    .containsExactly("1 two", "2 one");
            assertThat(rows(s, "select jobs.sp_delete_jobstep(job_name => 'api', step_name => 'two')"))
                    .containsExactly("6");
            assertThat(rows(s, "select step_id, step_name from jobs.jobsteps where job_name = 'api'"))
                    .containsExactly("1 one");

            assertThat(rows(s, "select jobs.sp_update_job(job_name => 'api', enabled => true)"))
                    .as("enabling alone is no new version").containsExactly("6");
            assertThat(rows(s, "select jobs.sp_update_job(job_name => 'api', new_name => 'api2', "
                    + "schedule_interval_type => 'Hours', schedule_interval_count => 6)")).containsExactly("7");
            assertThat(rows(s, "select job_name, job_version, enabled, schedule_interval_type, schedule_interval_count "
                    + "from jobs.jobs")).containsExactly("api2 7 t Hours 6");
            assertThat(rows(s, "select distinct job_version from jobs.job_executions where job_execution_id = '"
                    + started + "'")).containsExactly("3");

            assertThatThrownBy(() -> s.execute("select jobs.sp_update_jobstep(job_name => 'api2', step_name => 'nope', "
                    + "command => 'select 3')")).hasMessageContaining("nope");
            assertThatThrownBy(() -> s.execute("select jobs.sp_delete_job('api2')"))
                    .hasMessageContaining("Cannot delete job api2: it has executions in progress");
            s.execute("select jobs.sp_delete_job('api2', force => true)");
            assertThat(rows(s, "select count(*) from jobs.jobs")).containsExactly("0");
            assertThat(rows(s, "select count(*) from jobs.job_executions")).containsExactly("0");
        }
    }
}
