package org.wwi.sample;

import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;

/**
 * WWI's products 1..size. Every product is a pure function of (seed, id), so the web logs, the
 * store sales and the products dataset agree; prices are cached for the event generators.
 */
final class ProductCatalog {
    static final List<String> CATEGORIES = List.of(
            "Home Decor", "Kitchen", "Toys", "Clothing", "Electronics", "Garden", "Novelty", "Stationery");

    /** Named products first (ids 1..), with their category index; unicode on purpose. */
    private static final String[][] NAMED = {
        {"Peacock Décor Vase", "0"},
        {"Café Mug", "1"},
        {"Ünïcode Throw", "0"},
        {"Crème Brûlée Torch", "1"},
        {"Piñata Llama", "2"},
        {"Über Cozy Hoodie", "3"},
        {"Rocket Night Light 🚀", "4"},
        {"Jalapeño Garden Kit", "5"},
        {"Naïve Chocolate Frogs 250g", "6"},
        {"Smørrebrød Recipe Notebook", "7"},
        {"Peacock Décor Wall Clock", "0"},
        {"Château Wine Glass Set", "1"},
    };
    private static final String[][] NOUNS = {
        {"Vase", "Throw Pillow", "Candle Holder", "Wall Clock", "Picture Frame", "Rug", "Mirror", "Lamp"},
        {"Mug", "Teapot", "Chef's Knife", "Serving Bowl", "Apron", "Cutting Board", "Espresso Cup"},
        {"Plush Dinosaur", "Puzzle 1000pc", "Remote Control Car", "Kite", "Building Blocks", "Yo-yo"},
        {"Hoodie", "T-Shirt", "Beanie", "Scarf", "Rain Jacket", "Socks (3 pack)", "Slippers"},
        {"USB Missile Launcher", "Bluetooth Speaker", "USB Food Flash Drive", "Phone Stand", "LED Strip"},
        {"Garden Gnome", "Planter", "Watering Can", "Bird Feeder", "Wind Chime", "Hose Reel"},
        {"Joke Whoopee Cushion", "Chocolate Echidnas 250g", "Novelty Slippers", "Shark Hat", "Rubber Duck"},
        {"Notebook", "Fountain Pen", "Sticky Notes", "Desk Organizer", "Shipping Labels", "Planner"},
    };
    private static final String[] ADJECTIVES = {
        "Rustic", "Classic", "Vintage", "Deluxe", "Mini", "Giant", "Blue", "Red", "Green", "Black",
        "White", "Golden", "Crème", "Rosé", "Noël", "Señor", "Smörgås", "Zen", "Retro", "Glow-in-the-Dark",
    };
    /** Price range per category, in cents. */
    private static final int[][] PRICE_RANGES = {
        {999, 24_999}, {499, 12_999}, {399, 7_999}, {999, 14_999},
        {1_499, 49_999}, {499, 19_999}, {199, 3_999}, {99, 2_999},
    };
    private static final int[] CENT_ENDINGS = {99, 99, 99, 49, 50, 95, 0};
    private static final int[] DISCOUNTS = {50, 100, 125, 150, 200, 250, 300};

    private final long seed;
    private final LocalDate startDate;
    private final long[] priceCents;
    private final SkewedPicker popularity;

    ProductCatalog(long seed, int size, LocalDate startDate) {
        this.seed = seed;
        this.startDate = startDate;
        this.priceCents = new long[size + 1];
        for (int id = 1; id <= size; id++) {
            priceCents[id] = product(id).priceCents();
        }
        this.popularity = new SkewedPicker(size, 3, Seeds.random(seed, "product-popularity", 0));
    }

    int size() {
        return priceCents.length - 1;
    }

    long priceCents(int productId) {
        return priceCents[productId];
    }

    /** A product id, popular products far more often. */
    int pick(SplittableRandom random) {
        return popularity.pick(random);
    }

    int pickUniform(SplittableRandom random) {
        return popularity.pickUniform(random);
    }

    /** The product with this id (computed, not stored). */
    Product product(int id) {
        SplittableRandom random = Seeds.random(seed, "product", id);
        int category;
        String name;
        if (id <= NAMED.length) {
            name = NAMED[id - 1][0];
            category = Integer.parseInt(NAMED[id - 1][1]);
        } else {
            category = random.nextInt(CATEGORIES.size());
            String[] nouns = NOUNS[category];
            name = ADJECTIVES[random.nextInt(ADJECTIVES.length)] + " " + nouns[random.nextInt(nouns.length)];
        }
        int[] range = PRICE_RANGES[category];
        long dollars = (range[0] + random.nextLong(range[1] - range[0])) / 100;
        long price = Math.max(99, dollars * 100 + CENT_ENDINGS[random.nextInt(CENT_ENDINGS.length)]);
        int discount = random.nextInt(100) < 60 ? 0 : DISCOUNTS[random.nextInt(DISCOUNTS.length)];
        long cost = Math.round(price * 100 * (0.40 + 0.30 * random.nextDouble()));
        boolean active = random.nextInt(100) < 92;
        LocalDate introduced = startDate.minusDays(30 + random.nextInt(1800));
        return new Product(id, name, CATEGORIES.get(category), price, discount, cost, active, introduced);
    }
}
