package org.wwi.external.read;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.wwi.external.DelimitedOptions;
import org.wwi.external.ExternalColumn;
import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.storage.FileRef;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Reads one delimited text file following the file format's FORMAT_OPTIONS: one row per line
 * ({@code \n} or {@code \r\n}), FIELD_TERMINATOR between fields, an optional STRING_DELIMITER around a
 * field (doubled inside it), rows before FIRST_ROW skipped, DATE_FORMAT for date and time columns,
 * empty fields NULL (or the type's default with USE_TYPE_DEFAULT), the ENCODING given. Every field
 * of a row is converted (so a row rejects the same whichever columns a query asks for); a row
 * with the wrong number of fields, or a field that does not convert, is rejected.
 */
final class DelimitedCursor implements FileCursor {
    private final String table;
    private final FileRef file;
    private final DelimitedOptions options;
    private final Optional<DateTimeFormatter> dateFormat;
    private final List<ExternalColumn> fileColumns;
    private final int[] slotOfFileColumn;
    private final ExternalColumn[] requested;
    private final Object[] partitionValues;
    private final Rejects rejects;
    private final ScanStats stats;
    private final CountingInput counting;
    private final BufferedReader lines;
    private final List<String> fields = new ArrayList<>();
    private long lineNumber;
    private Object[] current;

    DelimitedCursor(String table, FileRef file, FileSystem fs, DelimitedOptions options, Optional<String> compression,
                    List<ExternalColumn> fileColumns, ExternalColumn[] requested, Object[] partitionValues,
                    Rejects rejects, ScanStats stats) {
        this.table = table;
        this.file = file;
        this.options = options;
        this.dateFormat = options.dateFormatter();
        this.fileColumns = fileColumns;
        this.requested = requested;
        this.partitionValues = partitionValues;
        this.rejects = rejects;
        this.stats = stats;
        this.slotOfFileColumn = new int[fileColumns.size()];
        for (int i = 0; i < fileColumns.size(); i++) {
            slotOfFileColumn[i] = -1;
            for (int s = 0; s < requested.length; s++) {
                if (requested[s] == fileColumns.get(i)) {
                    slotOfFileColumn[i] = s;
                }
            }
        }
        try {
            FSDataInputStream raw = fs.open(new Path(file.path()));
            counting = new CountingInput(raw);
            InputStream in = decompress(counting, compression, file);
            CharsetDecoder decoder = options.encoding().newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            lines = new BufferedReader(new InputStreamReader(in, decoder), 1 << 16);
        } catch (IOException e) {
            throw new ExternalException(ExternalErrorCode.STORAGE_FAILED, "Cannot open text file " + file.path()
                    + " of external table " + table + ": " + e.getMessage() + " (check that storage is reachable)", e);
        }
        stats.files.increment();
    }

    private static InputStream decompress(InputStream in, Optional<String> compression, FileRef file) throws IOException {
        String codec = compression.map(c -> c.toLowerCase(Locale.ROOT)).orElse("");
        if (codec.contains("gzip") || file.name().endsWith(".gz")) {
            return new GZIPInputStream(in, 1 << 16);
        }
        if (codec.contains("defaultcodec") || file.name().endsWith(".deflate")) {
            return new InflaterInputStream(in);
        }
        if (!codec.isEmpty()) {
            throw new ExternalException(ExternalErrorCode.INVALID_DEFINITION, "Cannot read text file " + file.path()
                    + ": DATA_COMPRESSION = '" + compression.get() + "' is not supported for delimited text (use "
                    + "org.apache.hadoop.io.compress.GzipCodec or DefaultCodec, or none)");
        }
        return in;
    }

    @Override
    public boolean next() {
        while (true) {
            String line;
            try {
                line = lines.readLine();
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new ExternalException(ExternalErrorCode.FILE_CORRUPT, "Cannot read text file " + file.path()
                        + " of external table " + table + " after line " + lineNumber + ": it is not "
                        + options.encoding() + " (set ENCODING in the file format)", e);
            } catch (IOException e) {
                throw new ExternalException(ExternalErrorCode.STORAGE_FAILED, "Cannot read text file " + file.path()
                        + " of external table " + table + " after line " + lineNumber + ": " + e.getMessage(), e);
            }
            if (line == null) {
                return false;
            }
            lineNumber++;
            if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            if (lineNumber < options.firstRow()) {
                continue;
            }
            if (line.isEmpty() && fileColumns.size() > 1) {
                continue;
            }
            Object[] row = convert(line);
            if (row != null) {
                current = row;
                stats.rows.increment();
                rejects.accepted();
                return true;
            }
        }
    }

    private Object[] convert(String line) {
        if (!split(line)) {
            rejects.rejected(new Reject(file.path(), lineNumber, null, line, "a string delimiter is not closed"));
            return null;
        }
        if (fields.size() != fileColumns.size()) {
            rejects.rejected(new Reject(file.path(), lineNumber, null, line, "expected " + fileColumns.size()
                    + " fields separated by '" + options.fieldTerminator() + "', found " + fields.size()));
            return null;
        }
        Object[] row = partitionValues == null ? new Object[requested.length] : partitionValues.clone();
        for (int i = 0; i < fields.size(); i++) {
            ExternalColumn c = fileColumns.get(i);
            String text = fields.get(i);
            Object value;
            if (text == null || text.isEmpty()) {
                value = options.useTypeDefault() ? TextValues.typeDefault(c.type()) : null;
                if (value == null && !c.nullable()) {
                    rejects.rejected(new Reject(file.path(), lineNumber, c.name(), text, "empty field in a NOT NULL column"));
                    return null;
                }
            } else {
                try {
                    value = TextValues.parse(c.type(), text, dateFormat);
                } catch (TextValues.BadValue e) {
                    String reason = e.getMessage();
                    if (options.dateFormat().isPresent() && reason.contains("for DATE_FORMAT")) {
                        reason = reason.replace("for DATE_FORMAT", "for DATE_FORMAT '" + options.dateFormat().get() + "'");
                    }
                    rejects.rejected(new Reject(file.path(), lineNumber, c.name(), text, reason));
                    return null;
                }
            }
            int slot = slotOfFileColumn[i];
            if (slot >= 0) {
                row[slot] = value;
            }
        }
        return row;
    }

    /** Splits a line into {@link #fields}; false when a string delimiter is left open. */
    private boolean split(String line) {
        fields.clear();
        String term = options.fieldTerminator();
        char quote = options.stringDelimiter().orElse('\0');
        boolean quoting = options.stringDelimiter().isPresent();
        int i = 0;
        int n = line.length();
        while (true) {
            if (quoting && i < n && line.charAt(i) == quote) {
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                boolean closed = false;
                while (j < n) {
                    char ch = line.charAt(j);
                    if (ch == quote) {
                        if (j + 1 < n && line.charAt(j + 1) == quote) {
                            sb.append(quote);
                            j += 2;
                            continue;
                        }
                        closed = true;
                        j++;
                        break;
                    }
                    sb.append(ch);
                    j++;
                }
                if (!closed) {
                    return false;
                }
                fields.add(sb.toString());
                if (j >= n) {
                    return true;
                }
                if (!line.startsWith(term, j)) {
                    // text after the closing delimiter: keep it, as PolyBase does, up to the next terminator
                    int end = line.indexOf(term, j);
                    String rest = end < 0 ? line.substring(j) : line.substring(j, end);
                    fields.set(fields.size() - 1, sb + rest);
                    if (end < 0) {
                        return true;
                    }
                    j = end;
                }
                i = j + term.length();
                continue;
            }
            int end = line.indexOf(term, i);
            if (end < 0) {
                fields.add(line.substring(i));
                return true;
            }
            fields.add(line.substring(i, end));
            i = end + term.length();
        }
    }

    @Override
    public Object[] row() {
        return current;
    }

    @Override
    public long rowNumber() {
        return lineNumber;
    }

    @Override
    public FileRef file() {
        return file;
    }

    @Override
    public long bytesRead() {
        return counting.count;
    }

    @Override
    public void close() {
        try {
            lines.close();
        } catch (IOException e) {
            // read-only: nothing to lose
            return;
        }
    }

    private static final class CountingInput extends FilterInputStream {
        long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
