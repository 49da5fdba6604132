package org.wwi.sample;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Row and part planning, Spark type mapping and small encodings. */
class TestPlanning {
    @Test
    void partsPerDayGrowWithRowsUpToFour() {
        assertThat(WeblogPlan.partsFor(0)).isEqualTo(1);
        assertThat(WeblogPlan.partsFor(250_000)).isEqualTo(1);
        assertThat(WeblogPlan.partsFor(250_001)).isEqualTo(2);
        assertThat(WeblogPlan.partsFor(700_000)).isEqualTo(3);
        assertThat(WeblogPlan.partsFor(10_000_000)).isEqualTo(4);
    }

    @Test
    void rowsAreSpreadEvenlyAndSumExactly() {
        WeblogPlan plan = WeblogPlan.of(WeblogSpec.defaults(Path.of("x")).withRows(1_234_567));
        assertThat(plan.days()).hasSize(30);
        assertThat(plan.days().stream().mapToLong(DayPlan::rows).sum()).isEqualTo(1_234_567);
        assertThat(plan.parts().stream().mapToLong(PartPlan::rows).sum()).isEqualTo(1_234_567);
        assertThat(plan.days()).allSatisfy(day -> assertThat(day.rows()).isBetween(30_000L, 55_000L));

        WeblogPlan tiny = WeblogPlan.of(WeblogSpec.defaults(Path.of("x")).withRows(7));
        assertThat(tiny.days().stream().mapToLong(DayPlan::rows).sum()).isEqualTo(7);
        assertThat(tiny.parts()).hasSize(30);
    }

    @Test
    void allocationSumsToTheTotal() {
        assertThat(Arrays.stream(Allocation.spread(10, new double[] {1, 1, 1})).sum()).isEqualTo(10);
        assertThat(Allocation.spread(10, new double[] {1, 1, 1})).containsExactly(4, 3, 3);
        assertThat(Allocation.even(10, 4)).containsExactly(3, 3, 2, 2);
    }

    @Test
    void decimalsMapLikeSpark() {
        assertThat(SparkType.decimal(4, 3).physical().name()).isEqualTo("INT32");
        assertThat(SparkType.decimal(10, 2).physical().name()).isEqualTo("INT64");
        assertThat(SparkType.decimal(20, 4).physical().name()).isEqualTo("FIXED_LEN_BYTE_ARRAY");
        assertThat(SparkType.minBytesForPrecision(20)).isEqualTo(9);
        assertThat(SparkType.minBytesForPrecision(38)).isEqualTo(16);
        assertThat(ProductsDataset.twosComplement(-2, 3)).containsExactly(0xFF, 0xFF, 0xFE);
        assertThat(ProductsDataset.twosComplement(258, 3)).containsExactly(0, 1, 2);
    }

    @Test
    void int96IsNanosOfDayThenJulianDayLittleEndian() {
        // 2026-08-01T00:00:01Z: Julian day 2461254, 1e9 nanos
        long epochSecond = LocalDate.of(2026, 8, 1).toEpochDay() * 86_400 + 1;
        byte[] bytes = WeblogWriteSupport.int96(epochSecond).getBytes();
        assertThat(bytes).hasSize(12);
        assertThat(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0))
                .isEqualTo(1_000_000_000L);
        assertThat(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(8))
                .isEqualTo(2_461_254);
    }

    @Test
    void seededUuidsAreReproducibleVersionFour() {
        assertThat(Seeds.uuid(new SplittableRandom(1))).isEqualTo(Seeds.uuid(new SplittableRandom(1)))
                .isNotEqualTo(Seeds.uuid(new SplittableRandom(2)));
        assertThat(Seeds.uuid(new SplittableRandom(1)).version()).isEqualTo(4);
    }

    @Test
    void ratingsAccumulatorKeepsTheMaximum() {
        RatingsAccumulator ratings = new RatingsAccumulator();
        for (int user = 1; user <= 3_000; user++) {
            ratings.record(RatingsAccumulator.key(user, 7), 30);
            ratings.record(RatingsAccumulator.key(user, 7), 100);
            ratings.record(RatingsAccumulator.key(user, 7), 70);
            ratings.record(RatingsAccumulator.key(user, 3), 70);
        }
        assertThat(ratings.size()).isEqualTo(6_000);
        assertThat(ratings.points(RatingsAccumulator.key(5, 7))).isEqualTo(100);
        assertThat(ratings.points(RatingsAccumulator.key(5, 3))).isEqualTo(70);
        long[] keys = ratings.sortedKeys();
        assertThat(RatingsAccumulator.userId(keys[0])).isEqualTo(1);
        assertThat(RatingsAccumulator.productId(keys[0])).isEqualTo(3);
        assertThat(RatingsAccumulator.productId(keys[1])).isEqualTo(7);
    }
}
