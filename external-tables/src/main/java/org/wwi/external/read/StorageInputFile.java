package org.wwi.external.read;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.wwi.external.storage.FileRef;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A listed file as parquet's {@link InputFile}, over the storage's own file system instance (parquet's
 * {@code HadoopInputFile} would go through Hadoop's shared file system cache). Counts the bytes read.
 */
final class StorageInputFile implements InputFile {
    private final FileSystem fs;
    private final FileRef file;
    final AtomicLong bytesRead = new AtomicLong();

    StorageInputFile(FileSystem fs, FileRef file) {
        this.fs = fs;
        this.file = file;
    }

    org.apache.hadoop.conf.Configuration configuration() {
        return fs.getConf();
    }

    @Override
    public long getLength() {
        return file.length();
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
        FSDataInputStream in = fs.open(new Path(file.path()));
        SeekableInputStream wrapped = HadoopStreams.wrap(in);
        return new CountingStream(wrapped, bytesRead);
    }

    @Override
    public String toString() {
        return file.path();
    }

    private static final class CountingStream extends org.apache.parquet.io.DelegatingSeekableInputStream {
        private final SeekableInputStream in;
        private final AtomicLong count;

        CountingStream(SeekableInputStream in, AtomicLong count) {
            super(in);
            this.in = in;
            this.count = count;
        }

        @Override
        public long getPos() throws IOException {
            return in.getPos();
        }

        @Override
        public void seek(long newPos) throws IOException {
            in.seek(newPos);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count.addAndGet(n);
            }
            return n;
        }

        @Override
        public void readFully(byte[] bytes) throws IOException {
            in.readFully(bytes);
            count.addAndGet(bytes.length);
        }

        @Override
        public void readFully(byte[] bytes, int start, int len) throws IOException {
            in.readFully(bytes, start, len);
            count.addAndGet(len);
        }

        @Override
        public int read(java.nio.ByteBuffer buf) throws IOException {
            int n = in.read(buf);
            if (n > 0) {
                count.addAndGet(n);
            }
            return n;
        }

        @Override
        public void readFully(java.nio.ByteBuffer buf) throws IOException {
            int n = buf.remaining();
            in.readFully(buf);
            count.addAndGet(n);
        }
    }
}
