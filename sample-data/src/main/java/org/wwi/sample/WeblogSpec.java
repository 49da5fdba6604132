package org.wwi.sample;

import java.nio.file.Path;
import java.time.LocalDate;

/**
 * What to generate: {@code rows} web-log events over {@code days} days from {@code startDate}
 * (UTC), by {@code users} users on {@code products} products, into the folder {@code out}.
 * The same spec (apart from {@code out}) always produces byte-identical files.
 *
 * @param out       folder to write into: missing, empty, or a previous generation (replaced)
 * @param rows      web-log events, 1 to 1,000,000,000
 * @param seed      seed of every random choice
 * @param startDate first TransactionDay, 1900-01-01 or later
 * @param days      number of TransactionDay partitions, 1 to 3660
 * @param users     users (ids 1..users), 1 to 10,000,000
 * @param products  products (ids 1..products), 1 to 1,000,000
 */
public record WeblogSpec(Path out, long rows, long seed, LocalDate startDate, int days, int users, int products) {
    static final long MAX_ROWS = 1_000_000_000L;
    static final int MAX_DAYS = 3660;
    static final int MAX_USERS = 10_000_000;
    static final int MAX_PRODUCTS = 1_000_000;
    static final LocalDate MIN_START = LocalDate.of(1900, 1, 1);
    static final LocalDate MAX_END = LocalDate.of(9999, 12, 31);

    public WeblogSpec {
        if (out == null) {
            throw SampleDataException.invalidSpec("output folder", null, "give the folder to write into");
        }
        if (rows < 1 || rows > MAX_ROWS) {
            throw SampleDataException.invalidSpec("rows", rows, "rows must be between 1 and " + MAX_ROWS);
        }
        if (days < 1 || days > MAX_DAYS) {
            throw SampleDataException.invalidSpec("days", days, "days must be between 1 and " + MAX_DAYS);
        }
        if (users < 1 || users > MAX_USERS) {
            throw SampleDataException.invalidSpec("users", users, "users must be between 1 and " + MAX_USERS);
        }
        if (products < 1 || products > MAX_PRODUCTS) {
            throw SampleDataException.invalidSpec("products", products,
                    "products must be between 1 and " + MAX_PRODUCTS);
        }
        if (startDate == null) {
            throw SampleDataException.invalidSpec("start date", null, "give the first day, e.g. 2026-08-01");
        }
        if (startDate.isBefore(MIN_START) || startDate.plusDays(days - 1L).isAfter(MAX_END)) {
            throw SampleDataException.invalidSpec("start date", startDate,
                    "the days must lie between " + MIN_START + " and " + MAX_END);
        }
    }

    /** 200,000 events over 30 days from 2026-08-01, 5,000 users, 500 products, seed 42. */
    public static WeblogSpec defaults(Path out) {
        return new WeblogSpec(out, 200_000, 42, LocalDate.of(2026, 8, 1), 30, 5_000, 500);
    }

    public WeblogSpec withRows(long rows) {
        return new WeblogSpec(out, rows, seed, startDate, days, users, products);
    }

    public WeblogSpec withSeed(long seed) {
        return new WeblogSpec(out, rows, seed, startDate, days, users, products);
    }

    public WeblogSpec withDays(int days) {
        return new WeblogSpec(out, rows, seed, startDate, days, users, products);
    }

    public WeblogSpec withStartDate(LocalDate startDate) {
        return new WeblogSpec(out, rows, seed, startDate, days, users, products);
    }

    /** The last TransactionDay. */
    LocalDate endDate() {
        return startDate.plusDays(days - 1L);
    }
}
