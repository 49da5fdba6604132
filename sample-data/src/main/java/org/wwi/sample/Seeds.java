package org.wwi.sample;

import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Derives independent, reproducible random streams from the spec's seed: every dataset, day
 * and part has its own stream, so work can run in any order or in parallel and still write the
 * same bytes. Never uses wall-clock time or {@link UUID#randomUUID()}.
 */
final class Seeds {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** A random stream for {@code stream} number {@code index} under {@code seed}. */
    static SplittableRandom random(long seed, String stream, long index) {
        return new SplittableRandom(derive(seed, stream, index));
    }

    static long derive(long seed, String stream, long index) {
        long h = mix64(seed ^ mix64(stream.hashCode() * GOLDEN));
        return mix64(h + (index + 1) * GOLDEN);
    }

    /** A version-4-shaped UUID drawn from {@code random}. */
    static UUID uuid(SplittableRandom random) {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** SplitMix64's finalizer. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
