package org.wwi.sample;

import java.io.IOException;
import java.io.OutputStream;

import static java.util.Objects.requireNonNull;

/** A buffered writer of text lines that formats numbers without creating strings. */
final class ByteLineWriter implements AutoCloseable {
    private static final int CAPACITY = 1 << 20;

    private final OutputStream out;
    private final byte[] buffer = new byte[CAPACITY];
    private final byte[] digits = new byte[20];
    private int position;

    ByteLineWriter(OutputStream out) {
        this.out = requireNonNull(out, "out is null");
    }

    ByteLineWriter bytes(byte[] bytes) throws IOException {
        if (bytes.length > CAPACITY - position) {
            flushBuffer();
            if (bytes.length > CAPACITY) {
                out.write(bytes);
                return this;
            }
        }
        System.arraycopy(bytes, 0, buffer, position, bytes.length);
        position += bytes.length;
        return this;
    }

    ByteLineWriter ascii(char c) throws IOException {
        if (position == CAPACITY) {
            flushBuffer();
        }
        buffer[position++] = (byte) c;
        return this;
    }

    /** A non-negative number. */
    ByteLineWriter number(long value) throws IOException {
        int n = 0;
        do {
            digits[n++] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value > 0);
        while (n > 0) {
            ascii((char) digits[--n]);
        }
        return this;
    }

    /** A number with at least two digits. */
    ByteLineWriter twoDigits(int value) throws IOException {
        if (value < 10) {
            ascii('0');
        }
        return number(value);
    }

    /** Non-negative cents as {@code 12.30}. */
    ByteLineWriter cents(long cents) throws IOException {
        number(cents / 100).ascii('.');
        return twoDigits((int) (cents % 100));
    }

    ByteLineWriter newline() throws IOException {
        return ascii('\n');
    }

    private void flushBuffer() throws IOException {
        out.write(buffer, 0, position);
        position = 0;
    }

    @Override
    public void close() throws IOException {
        try (out) {
            flushBuffer();
        }
    }
}
