package org.wwi.elt;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.wwi.platform.WwiException;

import java.time.Instant;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The Quartz job of a scheduled pipeline: a thin adapter that reads the pipeline's name and the
 * fire time (the original one when Quartz recovers the job of a dead agent) and hands over to
 * {@link Elt#run}. Quartz never runs it twice at once in the cluster; the run's advisory lock keeps
 * it apart from manual runs, and the ledger makes a fire time succeed at most once.
 */
@DisallowConcurrentExecution
final class PipelineJob implements Job {
    static final String PIPELINE_KEY = "pipeline";

    private final Elt elt;
    private final Consumer<String> log;
    private final Runnable started;
    private final Runnable finished;

    PipelineJob(Elt elt, Consumer<String> log, Runnable started, Runnable finished) {
        this.elt = requireNonNull(elt, "elt is null");
        this.log = requireNonNull(log, "log is null");
        this.started = requireNonNull(started, "started is null");
        this.finished = requireNonNull(finished, "finished is null");
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        JobDataMap data = context.getMergedJobDataMap();
        String pipeline = data.getString(PIPELINE_KEY);
        if (pipeline == null) {
            throw new JobExecutionException("Cannot run scheduled pipeline: job " + context.getJobDetail().getKey()
                    + " has no '" + PIPELINE_KEY + "' (remove it; the agent recreates its pipelines' jobs)");
        }
        boolean recovering = context.isRecovering();
        Instant fireTime = fireTime(context, data, recovering);
        started.run();
        try {
            log.accept("pipeline " + pipeline + (recovering ? " recovering" : "") + " fire time " + fireTime);
            RunResult r = elt.run(pipeline, RunOptions.scheduled(fireTime, recovering), RunListener.none());
            log.accept("pipeline " + pipeline + " run " + r.runId() + " " + r.status() + " in "
                    + r.duration().toMillis() + " ms (" + r.filesLoaded() + " files, " + r.rowsLoaded() + " rows loaded)"
                    + r.message().map(m -> ": " + m).orElse(""));
        } catch (WwiException e) {
            log.accept("pipeline " + pipeline + " did not run: " + e.getMessage());
            throw new JobExecutionException(e.getMessage(), e, false);
        } finally {
            finished.run();
        }
    }

    /** The scheduled fire time; a recovered job keeps the fire time of the run that its agent did not finish. */
    static Instant fireTime(JobExecutionContext context, JobDataMap data, boolean recovering) {
        if (recovering) {
            String original = data.getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
            if (original != null) {
                return Instant.ofEpochMilli(Long.parseLong(original));
            }
        }
        return context.getScheduledFireTime().toInstant();
    }
}
