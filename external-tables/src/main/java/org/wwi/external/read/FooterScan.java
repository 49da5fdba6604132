package org.wwi.external.read;

import shaded.parquet.org.apache.thrift.TException;
import shaded.parquet.org.apache.thrift.protocol.TCompactProtocol;
import shaded.parquet.org.apache.thrift.protocol.TField;
import shaded.parquet.org.apache.thrift.protocol.TProtocolUtil;
import shaded.parquet.org.apache.thrift.transport.TIOStreamTransport;

import java.io.IOException;
import java.io.InputStream;

/**
 * The {@code num_rows} of a Parquet footer, read with parquet's own Thrift compact protocol (the
 * copy that parquet-format-structures ships under {@code shaded.parquet}): the fields of the
 * footer's {@code FileMetaData} are read in turn, {@code num_rows} is kept and every other field
 * is skipped by the protocol without building its objects — the schema elements, row groups and
 * key-value metadata that {@code Util.readFileMetaData} would build, and that a {@code count(*)}
 * over many files would otherwise spend its time on. FileMetaData's required fields (version,
 * schema, num_rows, row_groups) must be there with their types, so a footer that is not
 * well-formed Thrift is refused as parquet would refuse it. Bytes after the struct are allowed
 * (the signature of a plaintext footer of an encrypted file).
 */
final class FooterScan {
    /** The footer is not a well-formed FileMetaData. */
    static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;

        Malformed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    // Thrift field types (TType) of the FileMetaData fields checked
    private static final byte STOP = 0;
    private static final byte I32 = 8;
    private static final byte I64 = 10;
    private static final byte LIST = 15;

    private FooterScan() {
    }

    /** The rows of the FileMetaData in {@code bytes[from, to)}. */
    static long numRows(byte[] bytes, int from, int to) throws Malformed {
        if (from < 0 || to > bytes.length || from > to) {
            throw new IllegalArgumentException("bad range " + from + ".." + to + " of " + bytes.length + " bytes");
        }
        long rows = -1;
        int required = 0;
        try {
            // no string or container can be longer than the footer: garbage cannot make huge skips
            TCompactProtocol p = new TCompactProtocol(new TIOStreamTransport(new Range(bytes, from, to)), to - from,
                    to - from);
            p.readStructBegin();
            while (true) {
                TField f = p.readFieldBegin();
                if (f.type == STOP) {
                    break;
                }
                if (f.id == 3 && f.type == I64) {
                    rows = p.readI64();
                    required |= 1 << 3;
                } else {
                    if (f.id == 1 && f.type == I32 || (f.id == 2 || f.id == 4) && f.type == LIST) {
                        required |= 1 << f.id;
                    }
                    TProtocolUtil.skip(p, f.type);
                }
                p.readFieldEnd();
            }
            p.readStructEnd();
        } catch (TException | RuntimeException e) {
            throw new Malformed("the footer is not a well-formed FileMetaData: " + e.getMessage(), e);
        }
        if (required != 0b11110) {
            throw new Malformed("FileMetaData lacks a required field (version, schema, num_rows or row_groups)", null);
        }
        if (rows < 0) {
            throw new Malformed("num_rows is negative: " + rows, null);
        }
        return rows;
    }

    /** A byte range as a stream, without the per-byte locking of {@link java.io.ByteArrayInputStream}. */
    private static final class Range extends InputStream {
        private final byte[] bytes;
        private final int end;
        private int pos;

        Range(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.pos = from;
            this.end = to;
        }

        @Override
        public int read() {
            return pos < end ? bytes[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] into, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= end) {
                return -1;
            }
            int n = Math.min(len, end - pos);
            System.arraycopy(bytes, pos, into, off, n);
            pos += n;
            return n;
        }
    }
}
