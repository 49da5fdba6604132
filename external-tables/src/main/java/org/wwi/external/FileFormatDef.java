package org.wwi.external;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@code CREATE EXTERNAL FILE FORMAT name WITH (FORMAT_TYPE = …, FORMAT_OPTIONS (…), DATA_COMPRESSION = '…')}.
 *
 * @param name        as declared
 * @param type        PARQUET or DELIMITEDTEXT
 * @param options     FORMAT_OPTIONS of DELIMITEDTEXT; {@link DelimitedOptions#DEFAULT} for PARQUET
 * @param compression the DATA_COMPRESSION codec class as written, e.g.
 *                    {@code org.apache.hadoop.io.compress.SnappyCodec}, {@code org.apache.hadoop.io.compress.GzipCodec}
 */
public record FileFormatDef(String name, FormatType type, DelimitedOptions options, Optional<String> compression) {

    public enum FormatType { PARQUET, DELIMITEDTEXT }

    public FileFormatDef {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(options, "options is null");
        requireNonNull(compression, "compression is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("file format name is blank");
        }
        if (type == FormatType.PARQUET && !options.equals(DelimitedOptions.DEFAULT)) {
            throw new IllegalArgumentException("FORMAT_OPTIONS apply only to FORMAT_TYPE = DELIMITEDTEXT");
        }
    }
}
