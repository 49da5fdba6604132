package org.wwi.sample;

import org.apache.parquet.io.api.Binary;

/**
 * Writes web-log events as Spark does: {@code weblogs} with TransactionDate as
 * TIMESTAMP(MICROS, UTC) in INT64, {@code weblogs_int96} with Spark's legacy INT96 timestamps.
 */
final class WeblogWriteSupport extends SparkWriteSupport<WeblogEvent> {
    /** Julian day number of 1970-01-01. */
    static final long JULIAN_EPOCH_DAY = 2_440_588;

    private final boolean int96;

    private WeblogWriteSupport(boolean int96) {
        super(schema(int96 ? SparkType.TIMESTAMP_INT96 : SparkType.TIMESTAMP_MICROS));
        this.int96 = int96;
    }

    static WeblogWriteSupport micros() {
        return new WeblogWriteSupport(false);
    }

    static WeblogWriteSupport int96() {
        return new WeblogWriteSupport(true);
    }

    static SparkSchema schema(SparkType timestamp) {
        return SparkSchema.of(
                new SparkColumn("UserId", SparkType.INTEGER),
                new SparkColumn("SessionId", SparkType.STRING),
                new SparkColumn("ProductId", SparkType.INTEGER),
                new SparkColumn("Quantity", SparkType.INTEGER),
                new SparkColumn("Price", SparkType.decimal(10, 2)),
                new SparkColumn("TotalPrice", SparkType.decimal(12, 2)),
                new SparkColumn("ReferralURL", SparkType.STRING),
                new SparkColumn("PageStopDuration", SparkType.INTEGER),
                new SparkColumn("Action", SparkType.STRING),
                new SparkColumn("Channel", SparkType.STRING),
                new SparkColumn("TransactionDate", timestamp));
    }

    @Override
    void writeColumns(WeblogEvent event) {
        int32(0, event.userId());
        string(1, event.sessionId());
        int32(2, event.productId());
        int32(3, event.quantity());
        int64(4, event.priceCents());
        int64(5, event.totalPriceCents());
        string(6, event.referralUrl());
        int32(7, event.pageStopSeconds());
        string(8, event.action().label());
        string(9, event.channel().label());
        if (int96) {
            binary(10, int96(event.epochSecond()));
        } else {
            int64(10, event.epochSecond() * 1_000_000L);
        }
    }

    /** 8 bytes little-endian nanoseconds of the day, then 4 bytes little-endian Julian day. */
    static Binary int96(long epochSecond) {
        long nanosOfDay = Math.floorMod(epochSecond, WeblogEventSource.SECONDS_PER_DAY) * 1_000_000_000L;
        long julianDay = Math.floorDiv(epochSecond, WeblogEventSource.SECONDS_PER_DAY) + JULIAN_EPOCH_DAY;
        byte[] bytes = new byte[12];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (nanosOfDay >>> (8 * i));
        }
        for (int i = 0; i < 4; i++) {
            bytes[8 + i] = (byte) (julianDay >>> (8 * i));
        }
        return Binary.fromConstantByteArray(bytes);
    }
}
