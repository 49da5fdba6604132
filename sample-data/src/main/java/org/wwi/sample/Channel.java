package org.wwi.sample;

/** Where a web session came from. */
enum Channel {
    WEB("Web"),
    MOBILE("Mobile");

    private final Utf8Text label;

    Channel(String label) {
        this.label = Utf8Text.of(label);
    }

    Utf8Text label() {
        return label;
    }
}
