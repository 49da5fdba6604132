package org.wwi.sample;

import java.util.Arrays;

/**
 * The maximum action points per (user, product) seen in the events: an open-addressing hash map
 * from {@code userId << 32 | productId} to points, about 10 bytes per pair.
 */
final class RatingsAccumulator {
    private static final long EMPTY = 0;

    private long[] keys;
    private byte[] points;
    private int size;

    RatingsAccumulator() {
        keys = new long[1 << 12];
        points = new byte[keys.length];
    }

    static long key(int userId, int productId) {
        return (long) userId << 32 | productId;
    }

    static int userId(long key) {
        return (int) (key >>> 32);
    }

    static int productId(long key) {
        return (int) key;
    }

    int size() {
        return size;
    }

    void record(WeblogEvent event) {
        record(key(event.userId(), event.productId()), event.action().points());
    }

    /** Keeps the maximum of the points recorded for {@code key} (ids are positive). */
    void record(long key, int value) {
        int slot = slot(keys, key);
        if (keys[slot] == EMPTY) {
            keys[slot] = key;
            points[slot] = (byte) value;
            if (++size * 2 > keys.length) {
                grow();
            }
        } else if (points[slot] < value) {
            points[slot] = (byte) value;
        }
    }

    int points(long key) {
        int slot = slot(keys, key);
        return keys[slot] == EMPTY ? 0 : points[slot];
    }

    /** The keys, ordered by user id, then product id. */
    long[] sortedKeys() {
        long[] sorted = new long[size];
        int n = 0;
        for (long key : keys) {
            if (key != EMPTY) {
                sorted[n++] = key;
            }
        }
        Arrays.sort(sorted);
        return sorted;
    }

    private static int slot(long[] table, long key) {
        int mask = table.length - 1;
        int slot = (int) Seeds.mix64(key) & mask;
        while (table[slot] != EMPTY && table[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldKeys = keys;
        byte[] oldPoints = points;
        keys = new long[oldKeys.length * 2];
        points = new byte[keys.length];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int slot = slot(keys, oldKeys[i]);
                keys[slot] = oldKeys[i];
                points[slot] = oldPoints[i];
            }
        }
    }
}
