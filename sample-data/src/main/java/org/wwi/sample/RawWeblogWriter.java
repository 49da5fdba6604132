package org.wwi.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Writes {@code raw/weblog.txt}: the web-log events as the site exports them, pipe separated
 * with a header, day by day and part by part (the order of the Parquet files). About 1% of the
 * rows (chosen by a separate random stream per part) get a dirty TransactionDate.
 */
final class RawWeblogWriter {
    static final String HEADER =
            "UserId|SessionId|ProductId|Quantity|Price|TotalPrice|ReferralURL|PageStopDuration|Action|TransactionDate";

    private final long seed;
    private final WeblogPlan plan;
    private final WeblogEventSource source;

    RawWeblogWriter(long seed, WeblogPlan plan, WeblogEventSource source) {
        this.seed = seed;
        this.plan = requireNonNull(plan, "plan is null");
        this.source = requireNonNull(source, "source is null");
    }

    /**
     * Writes the file and returns the number of dirty rows.
     *
     * @param observer also receives every event, in file order (e.g. to aggregate ratings)
     */
    long write(Path file, Consumer<WeblogEvent> observer) throws IOException {
        requireNonNull(observer, "observer is null");
        Files.createDirectories(file.getParent());
        long dirty = 0;
        try (ByteLineWriter out = new ByteLineWriter(Files.newOutputStream(file))) {
            out.bytes(HEADER.getBytes(StandardCharsets.US_ASCII)).newline();
            for (PartPlan part : plan.parts()) {
                dirty += writePart(out, part, observer);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return dirty;
    }

    private long writePart(ByteLineWriter out, PartPlan part, Consumer<WeblogEvent> observer) {
        SplittableRandom dirtiness = Seeds.random(seed, "raw-dirty", part.streamIndex());
        byte[] dayPrefix = RawDates.dayPrefix(part.day().date());
        long dayStart = part.day().date().toEpochDay() * WeblogEventSource.SECONDS_PER_DAY;
        long[] dirty = {0};
        source.generate(part, event -> {
            observer.accept(event);
            try {
                writeEvent(out, event);
                if (dirtiness.nextInt(RawDates.DIRTY_ONE_IN) == 0) {
                    dirty[0]++;
                    out.bytes(RawDates.dirty(dirtiness, event.epochSecond()).getBytes(StandardCharsets.US_ASCII));
                } else {
                    out.bytes(dayPrefix);
                    RawDates.appendTime(out, (int) (event.epochSecond() - dayStart));
                }
                out.newline();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return dirty[0];
    }

    private static void writeEvent(ByteLineWriter out, WeblogEvent event) throws IOException {
        out.number(event.userId()).ascii('|')
                .bytes(event.sessionId().bytes()).ascii('|')
                .number(event.productId()).ascii('|')
                .number(event.quantity()).ascii('|')
                .cents(event.priceCents()).ascii('|')
                .cents(event.totalPriceCents()).ascii('|');
        if (event.referralUrl() != null) {
            out.bytes(event.referralUrl().bytes());
        }
        out.ascii('|')
                .number(event.pageStopSeconds()).ascii('|')
                .bytes(event.action().label().bytes()).ascii('|');
    }
}
