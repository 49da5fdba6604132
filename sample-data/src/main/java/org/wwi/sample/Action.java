package org.wwi.sample;

/** What a web-log event records, with the action points the notebook's ratings use. */
enum Action {
    BROWSED("Browsed", 30),
    ADD_TO_CART("Add To Cart", 70),
    PURCHASED("Purchased", 100);

    private final Utf8Text label;
    private final int points;

    Action(String label, int points) {
        this.label = Utf8Text.of(label);
        this.points = points;
    }

    Utf8Text label() {
        return label;
    }

    int points() {
        return points;
    }
}
