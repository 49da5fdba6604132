package org.wwi.sample;

import org.apache.parquet.io.api.Binary;

import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/** A string encoded once, for the text files (bytes) and for Parquet (binary). */
final class Utf8Text {
    private final String text;
    private final byte[] bytes;
    private final Binary binary;

    private Utf8Text(String text) {
        this.text = requireNonNull(text, "text is null");
        this.bytes = text.getBytes(StandardCharsets.UTF_8);
        this.binary = Binary.fromConstantByteArray(bytes);
    }

    static Utf8Text of(String text) {
        return new Utf8Text(text);
    }

    String text() {
        return text;
    }

    /** The UTF-8 bytes; callers must not modify them. */
    byte[] bytes() {
        return bytes;
    }

    Binary binary() {
        return binary;
    }

    @Override
    public String toString() {
        return text;
    }
}
