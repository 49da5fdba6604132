package org.wwi.external.read;

import org.wwi.external.storage.FileRef;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The row count of a Parquet file from its footer alone: the last 8 bytes give the footer's length
 * and magic number, then the footer's {@code num_rows} is taken by {@link FooterScan}, which reads it
 * with parquet's Thrift protocol and skips the rest (no objects for the schema, row groups or
 * key-value metadata).
 * The file's tail is read at once, so a typical footer costs one read (one round trip on remote
 * storage) and no page: 64 KB on remote storage, where a second round trip costs more than the
 * bytes, and 8 KB on local disk, where a second read is cheap. Local files are read through NIO
 * rather than Hadoop's stream stack, whose set-up costs more than the reads.
 */
final class FooterRows {
    /** Positional reads of one file. */
    interface Source extends AutoCloseable {
        void readFully(long position, byte[] into) throws IOException;

        /** Bytes read from the end of the file at once. */
        int tailGuess();

        @Override
        void close() throws IOException;
    }

    /** What a footer said: the rows, or that it is encrypted (then the full reader must decide). */
    record Count(long rows, boolean encrypted) {
    }

    /** Bytes read from the end of a remote file at once: footers of typical data files fit. */
    static final int TAIL_GUESS = 64 * 1024;

    /** Bytes read from the end of a local file at once (footers of typical data files are 1 to 5 KB). */
    static final int LOCAL_TAIL_GUESS = 8 * 1024;

    private FooterRows() {
    }

    static Source local(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path);
        return new Source() {
            @Override
            public void readFully(long position, byte[] into) throws IOException {
                ByteBuffer b = ByteBuffer.wrap(into);
                while (b.hasRemaining()) {
                    if (channel.read(b, position + b.position()) < 0) {
                        throw new IOException("end of file at byte " + (position + b.position()));
                    }
                }
            }

            @Override
            public int tailGuess() {
                return LOCAL_TAIL_GUESS;
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    static Source stream(StorageInputFile input) throws IOException {
        org.apache.parquet.io.SeekableInputStream in = input.newStream();
        return new Source() {
            @Override
            public void readFully(long position, byte[] into) throws IOException {
                in.seek(position);
                in.readFully(into);
            }

            @Override
            public int tailGuess() {
                return TAIL_GUESS;
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    /**
     * Reads the count.
     *
     * @throws org.wwi.external.ExternalException FILE_CORRUPT naming the file when it is not Parquet
     */
    static Count read(Source source, FileRef file, String table) {
        long length = file.length();
        if (length < 12) {
            throw ParquetCursor.corrupt(table, file, "it is " + length + " bytes long, shorter than any Parquet file",
                    new IOException("file too short"));
        }
        try (source) {
            // one read takes the footer with the tail in the common case; a larger footer costs a second
            int tailLength = (int) Math.min(length, source.tailGuess());
            byte[] tail = new byte[tailLength];
            source.readFully(length - tailLength, tail);
            int m = tailLength - 4;
            if (tail[m] == 'P' && tail[m + 1] == 'A' && tail[m + 2] == 'R' && tail[m + 3] == 'E') {
                return new Count(-1, true);
            }
            if (tail[m] != 'P' || tail[m + 1] != 'A' || tail[m + 2] != 'R' || tail[m + 3] != '1') {
                throw ParquetCursor.corrupt(table, file, "it does not end with Parquet's magic number PAR1",
                        new IOException("no PAR1 at the end"));
            }
            int l = tailLength - 8;
            int footerLength = (tail[l] & 0xFF) | (tail[l + 1] & 0xFF) << 8 | (tail[l + 2] & 0xFF) << 16
                    | (tail[l + 3] & 0xFF) << 24;
            if (footerLength <= 0 || footerLength > length - 12) {
                throw ParquetCursor.corrupt(table, file, "its footer length " + footerLength + " does not fit a file "
                        + "of " + length + " bytes", new IOException("bad footer length"));
            }
            if (footerLength <= l) {
                return new Count(FooterScan.numRows(tail, l - footerLength, l), false);
            }
            byte[] whole = new byte[footerLength];
            source.readFully(length - 8 - footerLength, whole);
            return new Count(FooterScan.numRows(whole, 0, footerLength), false);
        } catch (IOException | RuntimeException e) {
            throw ParquetCursor.corrupt(table, file, "its footer cannot be read", e);
        }
    }
}
