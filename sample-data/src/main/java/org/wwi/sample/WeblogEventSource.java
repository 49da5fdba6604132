package org.wwi.sample;

import java.util.SplittableRandom;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Generates the events of one part file, session by session. A session belongs to one user, on
 * one channel with one referrer; it starts with a Browsed event, and an Add To Cart or a
 * Purchased is always of a product browsed earlier in the session (a purchase prefers what is
 * in the cart, with its quantity). Overall about 60% Browsed, 25% Add To Cart, 15% Purchased.
 * The same part always yields the same events, so the Parquet and the raw text writers can each
 * generate them independently.
 */
final class WeblogEventSource {
    static final int SECONDS_PER_DAY = 86_400;
    private static final int MAX_SESSION_EVENTS = 30;
    /** Session length is 1 + geometric: mean 5 events. */
    private static final double CONTINUE = 0.8;
    /**
     * Action draw for all but the first event of a session (which is Browsed), in 1/10,000:
     * with a mean of 5 events per session, this gives 60/25/15 overall.
     */
    private static final int BROWSED_BELOW = 5_000;
    private static final int ADD_TO_CART_BELOW = 8_125;
    private static final int[] QUANTITY_WEIGHTS = {50, 25, 12, 8, 5};
    /** Sessions starting per UTC hour: US evenings (00-05 UTC) and US afternoons busiest. */
    private static final int[] HOUR_WEIGHTS = {
        9, 8, 7, 5, 4, 3, 2, 2, 2, 2, 3, 4, 5, 6, 7, 8, 8, 9, 9, 9, 10, 10, 10, 10,
    };

    private final long seed;
    private final ProductCatalog catalog;
    private final UserDirectory users;

    WeblogEventSource(long seed, ProductCatalog catalog, UserDirectory users) {
        this.seed = seed;
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.users = requireNonNull(users, "users is null");
    }

    /** Passes the part's events, in order, to {@code sink}. */
    void generate(PartPlan part, Consumer<WeblogEvent> sink) {
        SplittableRandom random = Seeds.random(seed, "weblog-part", part.streamIndex());
        long dayStart = part.day().date().toEpochDay() * SECONDS_PER_DAY;
        Session session = new Session();
        long remaining = part.rows();
        while (remaining > 0) {
            int length = (int) Math.min(remaining, sessionLength(random));
            session.plan(random, length);
            session.emit(random, dayStart, sink);
            remaining -= length;
        }
    }

    private static int sessionLength(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        int extra = (int) (StrictMath.log(u) / StrictMath.log(CONTINUE));
        return Math.min(MAX_SESSION_EVENTS, 1 + extra);
    }

    private static int quantity(SplittableRandom random) {
        return 1 + Draw.weighted(random, QUANTITY_WEIGHTS);
    }

    /** The events of one session, planned before their times are known. */
    private final class Session {
        private final Action[] actions = new Action[MAX_SESSION_EVENTS];
        private final int[] products = new int[MAX_SESSION_EVENTS];
        private final int[] quantities = new int[MAX_SESSION_EVENTS];
        private final int[] pageStops = new int[MAX_SESSION_EVENTS];
        private final int[] offsets = new int[MAX_SESSION_EVENTS];
        private final int[] browsed = new int[MAX_SESSION_EVENTS];
        private final int[] carted = new int[MAX_SESSION_EVENTS];
        private final int[] cartQuantities = new int[MAX_SESSION_EVENTS];
        private final boolean[] purchased = new boolean[MAX_SESSION_EVENTS];
        private int length;
        private int browsedCount;
        private int cartedCount;

        void plan(SplittableRandom random, int length) {
            this.length = length;
            browsedCount = 0;
            cartedCount = 0;
            int offset = 0;
            for (int i = 0; i < length; i++) {
                int draw = i == 0 ? 0 : random.nextInt(10_000);
                if (draw < BROWSED_BELOW) {
                    browse(random, i);
                } else if (draw < ADD_TO_CART_BELOW) {
                    addToCart(random, i);
                } else {
                    purchase(random, i);
                }
                pageStops[i] = pageStop(random, actions[i]);
                offsets[i] = offset;
                offset += pageStops[i] + 1 + random.nextInt(15);
            }
        }

        void emit(SplittableRandom random, long dayStart, Consumer<WeblogEvent> sink) {
            int userId = users.pick(random);
            Channel channel = random.nextInt(100) < 70 ? Channel.WEB : Channel.MOBILE;
            Utf8Text referral = random.nextInt(100) < 30 ? null : ReferralUrls.pick(random);
            Utf8Text sessionId = Utf8Text.of(Seeds.uuid(random).toString());
            int span = offsets[length - 1];
            int start = Draw.weighted(random, HOUR_WEIGHTS) * 3600 + random.nextInt(3600);
            start = Math.min(start, SECONDS_PER_DAY - 1 - span);
            for (int i = 0; i < length; i++) {
                long price = catalog.priceCents(products[i]);
                sink.accept(new WeblogEvent(userId, sessionId, products[i], quantities[i], price,
                        price * quantities[i], referral, pageStops[i], actions[i], channel,
                        dayStart + start + offsets[i]));
            }
        }

        private void browse(SplittableRandom random, int i) {
            actions[i] = Action.BROWSED;
            products[i] = catalog.pick(random);
            quantities[i] = 1;
            browsed[browsedCount++] = products[i];
        }

        private void addToCart(SplittableRandom random, int i) {
            actions[i] = Action.ADD_TO_CART;
            products[i] = browsed[random.nextInt(browsedCount)];
            quantities[i] = quantity(random);
            int slot = cartSlot(products[i]);
            if (slot < 0) {
                slot = cartedCount++;
                carted[slot] = products[i];
                purchased[slot] = false;
            }
            cartQuantities[slot] = quantities[i];
        }

        private void purchase(SplittableRandom random, int i) {
            actions[i] = Action.PURCHASED;
            int open = 0;
            for (int c = 0; c < cartedCount; c++) {
                open += purchased[c] ? 0 : 1;
            }
            if (open == 0) {
                products[i] = browsed[random.nextInt(browsedCount)];
                quantities[i] = quantity(random);
                return;
            }
            int pick = random.nextInt(open);
            for (int c = 0; c < cartedCount; c++) {
                if (!purchased[c] && pick-- == 0) {
                    products[i] = carted[c];
                    quantities[i] = cartQuantities[c];
                    purchased[c] = true;
                    return;
                }
            }
        }

        private int cartSlot(int product) {
            for (int c = 0; c < cartedCount; c++) {
                if (carted[c] == product) {
                    return c;
                }
            }
            return -1;
        }

        private int pageStop(SplittableRandom random, Action action) {
            return switch (action) {
                case BROWSED -> {
                    double u = random.nextDouble();
                    yield 5 + (int) (u * u * 295);
                }
                case ADD_TO_CART -> 3 + random.nextInt(58);
                case PURCHASED -> 20 + random.nextInt(161);
            };
        }
    }
}
