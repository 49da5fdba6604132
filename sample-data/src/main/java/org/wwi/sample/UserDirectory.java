package org.wwi.sample;

import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;

/** WWI's web users 1..size; every user is a pure function of (seed, id). */
final class UserDirectory {
    /** WWI's sales territories. */
    static final List<String> REGIONS = List.of(
            "New England", "Mideast", "Great Lakes", "Plains", "Southeast", "Southwest", "Rocky Mountain",
            "Far West");
    private static final int[] REGION_WEIGHTS = {8, 16, 17, 9, 20, 11, 5, 14};
    private static final String[] FEMALE = {
        "Olivia", "Emma", "Ava", "Sophia", "Isabella", "Mia", "Charlotte", "Amelia", "Harper", "Evelyn",
        "Zoë", "Chloé", "Renée", "Ingrid", "Mei", "Priya", "Aaliyah", "Lucía", "Hannah", "Kayla",
    };
    private static final String[] MALE = {
        "Liam", "Noah", "Oliver", "Elijah", "James", "William", "Benjamin", "Lucas", "Henry", "Hudson",
        "José", "André", "Jürgen", "Søren", "Raj", "Kenji", "Mateo", "Ethan", "Archer", "Łukasz",
    };
    private static final String[] LAST = {
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
        "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Taylor", "Moore", "Jackson", "Lee",
        "Nguyen", "Müller", "O'Brien", "Núñez", "Kowalski", "Østergaard", "Patel", "Kim", "Chen",
        "Woodcock", "Onslow", "Trefl",
    };

    private final long seed;
    private final LocalDate startDate;
    private final int size;
    private final SkewedPicker activity;

    UserDirectory(long seed, int size, LocalDate startDate) {
        this.seed = seed;
        this.size = size;
        this.startDate = startDate;
        this.activity = new SkewedPicker(size, 2, Seeds.random(seed, "user-activity", 0));
    }

    int size() {
        return size;
    }

    /** A user id, active users more often. */
    int pick(SplittableRandom random) {
        return activity.pick(random);
    }

    /** The user with this id (computed, not stored). */
    User user(int id) {
        SplittableRandom random = Seeds.random(seed, "user", id);
        boolean female = random.nextBoolean();
        String first = female ? FEMALE[random.nextInt(FEMALE.length)] : MALE[random.nextInt(MALE.length)];
        String last = LAST[random.nextInt(LAST.length)];
        double normal = (random.nextDouble() + random.nextDouble() + random.nextDouble() + random.nextDouble() - 2)
                * 1.7320508075688772;
        int age = (int) Math.max(16, Math.min(90, Math.round(38 + 14 * normal)));
        String region = REGIONS.get(Draw.weighted(random, REGION_WEIGHTS));
        LocalDate signup = startDate.minusDays(1 + random.nextInt(1095));
        return new User(id, first, last, female ? "F" : "M", age, region, signup);
    }
}
