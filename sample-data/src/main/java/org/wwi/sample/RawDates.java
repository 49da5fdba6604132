package org.wwi.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * TransactionDate in the raw text: {@code M/d/yyyy h:mm:ss a} (Locale.US, UTC), and the dirty
 * values that about 1 row in 100 gets instead.
 */
final class RawDates {
    static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a", Locale.US);
    /** One row in {@value} is dirty. */
    static final int DIRTY_ONE_IN = 100;
    private static final byte[] AM = " AM".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PM = " PM".getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter GERMAN = DateTimeFormatter.ofPattern("dd.MM.uuuu HH:mm:ss", Locale.ROOT);

    private RawDates() {
    }

    /** {@code M/d/yyyy } of a day, computed once per day. */
    static byte[] dayPrefix(LocalDate date) {
        String prefix = date.getMonthValue() + "/" + date.getDayOfMonth() + "/" + date.getYear() + " ";
        return prefix.getBytes(StandardCharsets.US_ASCII);
    }

    /** Appends {@code h:mm:ss AM} of a second of the day. */
    static void appendTime(ByteLineWriter out, int secondOfDay) throws IOException {
        int hour = secondOfDay / 3600;
        int hour12 = hour % 12 == 0 ? 12 : hour % 12;
        out.number(hour12).ascii(':').twoDigits(secondOfDay / 60 % 60).ascii(':').twoDigits(secondOfDay % 60)
                .bytes(hour < 12 ? AM : PM);
    }

    /** A value that does not parse as {@link #FORMAT}: garbage, text, empty, ISO or German. */
    static String dirty(SplittableRandom random, long epochSecond) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        return switch (random.nextInt(5)) {
            case 0 -> "13/45/" + time.getYear() + " 25:61:00 XM";
            case 1 -> "not a date";
            case 2 -> "";
            case 3 -> ISO.format(time);
            default -> GERMAN.format(time);
        };
    }
}
