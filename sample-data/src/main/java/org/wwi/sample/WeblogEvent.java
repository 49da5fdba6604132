package org.wwi.sample;

/**
 * One row of the web logs. Money is in cents; the time is whole seconds since the epoch, UTC.
 *
 * @param referralUrl null when the session had no referrer
 */
record WeblogEvent(int userId, Utf8Text sessionId, int productId, int quantity, long priceCents,
        long totalPriceCents, Utf8Text referralUrl, int pageStopSeconds, Action action, Channel channel,
        long epochSecond) {
}
