package org.wwi.migrations;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.wwi.platform.Database;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static java.util.Objects.requireNonNull;
import static org.wwi.migrations.jooq.ops.Tables.COMMAND_RUN;
import static org.wwi.migrations.jooq.ops.Tables.COMMAND_STAGE;

/** Records state-changing {@code wwi} commands and their timed stages in {@code ops.command_run}. */
public final class CommandLog {

    /** One timed stage of a command. */
    public record Stage(String name, Instant startedAt, Duration duration, String summary) {
        public Stage {
            requireNonNull(name, "name is null");
            requireNonNull(startedAt, "startedAt is null");
            requireNonNull(duration, "duration is null");
            requireNonNull(summary, "summary is null");
        }
    }

    /** One recorded run, newest first in {@link #recent}. */
    public record Run(long runId, String command, String outcome, Instant startedAt, Instant finishedAt,
                      List<Stage> stages) {
    }

    private final DSLContext dsl;

    public CommandLog(Database db) {
        this.dsl = DSL.using(requireNonNull(db, "db is null").dataSource(), SQLDialect.POSTGRES);
    }

    /** Records the start of a command and returns its run id. */
    public long start(String command, String arguments) {
        return dsl.insertInto(COMMAND_RUN)
                .set(COMMAND_RUN.COMMAND, command)
                .set(COMMAND_RUN.ARGUMENTS, arguments)
                .set(COMMAND_RUN.HOST, hostName())
                .set(COMMAND_RUN.PID, ProcessHandle.current().pid())
                .returning(COMMAND_RUN.RUN_ID)
                .fetchOne(COMMAND_RUN.RUN_ID);
    }

    /** Records the stages and the outcome of a run. */
    public void finish(long runId, boolean succeeded, String message, List<Stage> stages) {
        dsl.transaction(tx -> {
            DSLContext t = tx.dsl();
            int no = 0;
            for (Stage s : stages) {
                t.insertInto(COMMAND_STAGE)
                        .set(COMMAND_STAGE.RUN_ID, runId)
                        .set(COMMAND_STAGE.STAGE_NO, ++no)
                        .set(COMMAND_STAGE.STAGE, s.name())
                        .set(COMMAND_STAGE.STARTED_AT, OffsetDateTime.ofInstant(s.startedAt(), ZoneOffset.UTC))
                        .set(COMMAND_STAGE.DURATION_MS, s.duration().toMillis())
                        .set(COMMAND_STAGE.SUMMARY, s.summary())
                        .execute();
            }
            t.update(COMMAND_RUN)
                    .set(COMMAND_RUN.FINISHED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                    .set(COMMAND_RUN.OUTCOME, succeeded ? "succeeded" : "failed")
                    .set(COMMAND_RUN.MESSAGE, message)
                    .where(COMMAND_RUN.RUN_ID.eq(runId))
                    .execute();
        });
    }

    /** The most recent runs of a command, newest first, with their stages. */
    public List<Run> recent(String command, int limit) {
        return dsl.selectFrom(COMMAND_RUN)
                .where(COMMAND_RUN.COMMAND.eq(command))
                .orderBy(COMMAND_RUN.RUN_ID.desc())
                .limit(limit)
                .fetch(r -> new Run(r.getRunId(), r.getCommand(), r.getOutcome(), r.getStartedAt().toInstant(),
                        r.getFinishedAt() == null ? null : r.getFinishedAt().toInstant(),
                        dsl.selectFrom(COMMAND_STAGE)
                                .where(COMMAND_STAGE.RUN_ID.eq(r.getRunId()))
                                .orderBy(COMMAND_STAGE.STAGE_NO)
                                .fetch(s -> new Stage(s.getStage(), s.getStartedAt().toInstant(),
                                        Duration.ofMillis(s.getDurationMs()), s.getSummary()))));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
