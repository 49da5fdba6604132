package org.wwi.external.read;

import java.io.IOException;

/**
 * The {@code num_rows} of a Parquet footer, read from its Thrift compact-protocol bytes in place:
 * a footer's {@code FileMetaData} struct is walked field by field without building its schema
 * elements, row groups, column chunks or key-value metadata, which is what a {@code count(*)}
 * over many files would otherwise spend its time on. Every field is walked to the struct's end
 * and FileMetaData's required fields (version, schema, num_rows, row_groups) must be there with
 * their types, so a footer that is not well-formed Thrift is refused as parquet's generated
 * classes would refuse it. Bytes after the struct are allowed (the signature of a plaintext footer
 * of an encrypted file).
 */
final class FooterScan {
    /** The footer is not a well-formed FileMetaData. */
    static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    // Thrift compact protocol type codes
    private static final int STOP = 0;
    private static final int TRUE = 1;
    private static final int FALSE = 2;
    private static final int BYTE = 3;
    private static final int I16 = 4;
    private static final int I32 = 5;
    private static final int I64 = 6;
    private static final int DOUBLE = 7;
    private static final int BINARY = 8;
    private static final int LIST = 9;
    private static final int SET = 10;
    private static final int MAP = 11;
    private static final int STRUCT = 12;

    /** Deeper nesting than parquet.thrift has: the bytes are not a footer (and no stack overflows). */
    private static final int MAX_DEPTH = 32;

    private final byte[] b;
    private final int end;
    private int pos;

    private FooterScan(byte[] bytes, int from, int to) {
        this.b = bytes;
        this.pos = from;
        this.end = to;
    }

    /** The rows of the FileMetaData in {@code bytes[from, to)}. */
    static long numRows(byte[] bytes, int from, int to) throws Malformed {
        if (from < 0 || to > bytes.length || from > to) {
            throw new IllegalArgumentException("bad range " + from + ".." + to + " of " + bytes.length + " bytes");
        }
        return new FooterScan(bytes, from, to).fileMetaData();
    }

    private long fileMetaData() throws Malformed {
        long rows = -1;
        int required = 0;
        int lastId = 0;
        while (true) {
            int header = u8();
            int type = header & 0x0F;
            if (type == STOP) {
                break;
            }
            int id = fieldId(header, lastId);
            lastId = id;
            if (id == 3 && type == I64) {
                rows = zigzag(varint64());
                required |= 1 << 3;
                continue;
            }
            if (id == 1 && type == I32 || (id == 2 || id == 4) && type == LIST) {
                required |= 1 << id;
            }
            skip(type, 1, false);
        }
        if (required != 0b11110) {
            throw new Malformed("FileMetaData lacks a required field (version, schema, num_rows or row_groups)");
        }
        if (rows < 0) {
            throw new Malformed("num_rows is negative: " + rows);
        }
        return rows;
    }

    private int fieldId(int header, int lastId) throws Malformed {
        int delta = header >>> 4;
        if (delta != 0) {
            return lastId + delta;
        }
        long id = zigzag(varint64());
        if (id < Short.MIN_VALUE || id > Short.MAX_VALUE) {
            throw new Malformed("field id " + id + " at byte " + pos);
        }
        return (int) id;
    }

    /** Skips one value; booleans take a byte only as elements of lists, sets and maps. */
    private void skip(int type, int depth, boolean element) throws Malformed {
        switch (type) {
            case TRUE, FALSE -> {
                if (element) {
                    advance(1);
                }
            }
            case BYTE -> advance(1);
            case I16, I32, I64 -> varint64();
            case DOUBLE -> advance(8);
            case BINARY -> advance(size());
            case LIST, SET -> {
                int header = u8();
                int size = header >>> 4;
                if (size == 15) {
                    size = size();
                }
                int elementType = header & 0x0F;
                nested(depth);
                for (int i = 0; i < size; i++) {
                    skip(elementType, depth + 1, true);
                }
            }
            case MAP -> {
                int size = size();
                if (size > 0) {
                    int kinds = u8();
                    nested(depth);
                    for (int i = 0; i < size; i++) {
                        skip(kinds >>> 4, depth + 1, true);
                        skip(kinds & 0x0F, depth + 1, true);
                    }
                }
            }
            case STRUCT -> {
                nested(depth);
                int lastId = 0;
                while (true) {
                    int header = u8();
                    int fieldType = header & 0x0F;
                    if (fieldType == STOP) {
                        return;
                    }
                    lastId = fieldId(header, lastId);
                    skip(fieldType, depth + 1, false);
                }
            }
            default -> throw new Malformed("unknown Thrift type " + type + " at byte " + pos);
        }
    }

    private void nested(int depth) throws Malformed {
        if (depth > MAX_DEPTH) {
            throw new Malformed("nested deeper than " + MAX_DEPTH + " levels at byte " + pos);
        }
    }

    /** A length or collection size: a varint that fits in the bytes left (every element takes a byte at least). */
    private int size() throws Malformed {
        long n = varint64();
        if (n < 0 || n > end - pos) {
            throw new Malformed("size " + n + " at byte " + pos + " is beyond the footer's end");
        }
        return (int) n;
    }

    private void advance(int n) throws Malformed {
        if (n > end - pos) {
            throw new Malformed("the footer ends inside a value at byte " + pos);
        }
        pos += n;
    }

    private int u8() throws Malformed {
        if (pos >= end) {
            throw new Malformed("the footer ends before its struct does");
        }
        return b[pos++] & 0xFF;
    }

    private long varint64() throws Malformed {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int x = u8();
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new Malformed("a varint longer than 10 bytes at byte " + pos);
    }

    private static long zigzag(long n) {
        return (n >>> 1) ^ -(n & 1);
    }
}
