package org.wwi.sample;

import org.junit.jupiter.api.Test;
import org.wwi.platform.ErrorKind;

import java.nio.file.Path;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestWeblogSpec {
    private static final Path OUT = Path.of("lake");

    @Test
    void defaults() {
        WeblogSpec spec = WeblogSpec.defaults(OUT);
        assertThat(spec).isEqualTo(new WeblogSpec(OUT, 200_000, 42, LocalDate.of(2026, 8, 1), 30, 5_000, 500));
        assertThat(spec.endDate()).isEqualTo(LocalDate.of(2026, 8, 30));
    }

    @Test
    void withersChangeOneValue() {
        WeblogSpec spec = WeblogSpec.defaults(OUT);
        assertThat(spec.withRows(10)).isEqualTo(new WeblogSpec(OUT, 10, 42, spec.startDate(), 30, 5_000, 500));
        assertThat(spec.withSeed(1).seed()).isEqualTo(1);
        assertThat(spec.withDays(7).days()).isEqualTo(7);
        assertThat(spec.withStartDate(LocalDate.of(2025, 1, 1)).startDate()).isEqualTo(LocalDate.of(2025, 1, 1));
        assertThat(spec.withSeed(1).rows()).isEqualTo(200_000);
    }

    @Test
    void rowsMustBePositive() {
        assertInvalid(() -> WeblogSpec.defaults(OUT).withRows(0),
                "Cannot use sample-data rows: 0 (rows must be between 1 and 1000000000)");
    }

    @Test
    void daysMustBeBetweenOneAndTenYears() {
        assertInvalid(() -> WeblogSpec.defaults(OUT).withDays(0),
                "Cannot use sample-data days: 0 (days must be between 1 and 3660)");
        assertInvalid(() -> WeblogSpec.defaults(OUT).withDays(3661),
                "Cannot use sample-data days: 3661 (days must be between 1 and 3660)");
        assertThat(WeblogSpec.defaults(OUT).withDays(3660).days()).isEqualTo(3660);
    }

    @Test
    void usersAndProductsMustBePositive() {
        assertInvalid(() -> new WeblogSpec(OUT, 1, 1, LocalDate.of(2026, 8, 1), 1, 0, 1),
                "Cannot use sample-data users: 0 (users must be between 1 and 10000000)");
        assertInvalid(() -> new WeblogSpec(OUT, 1, 1, LocalDate.of(2026, 8, 1), 1, 1, -5),
                "Cannot use sample-data products: -5 (products must be between 1 and 1000000)");
    }

    @Test
    void outputFolderAndStartDateAreRequired() {
        assertInvalid(() -> new WeblogSpec(null, 1, 1, LocalDate.of(2026, 8, 1), 1, 1, 1),
                "Cannot use sample-data output folder: null (give the folder to write into)");
        assertInvalid(() -> WeblogSpec.defaults(OUT).withStartDate(null),
                "Cannot use sample-data start date: null (give the first day, e.g. 2026-08-01)");
        assertInvalid(() -> WeblogSpec.defaults(OUT).withStartDate(LocalDate.of(1800, 1, 1)),
                "Cannot use sample-data start date: 1800-01-01 (the days must lie between 1900-01-01 and 9999-12-31)");
    }

    private static void assertInvalid(Runnable create, String message) {
        assertThatThrownBy(create::run)
                .isInstanceOfSatisfying(SampleDataException.class, e -> {
                    assertThat(e.code()).isEqualTo(SampleDataErrorCode.SPEC_INVALID);
                    assertThat(e.kind()).isEqualTo(ErrorKind.USER);
                })
                .hasMessage(message);
    }
}
