package org.wwi.sample;

import org.wwi.platform.ErrorCode;
import org.wwi.platform.ErrorKind;

/** Error codes of the sample-data module. */
public enum SampleDataErrorCode implements ErrorCode {
    /** A {@link WeblogSpec} value is out of range. */
    SPEC_INVALID(ErrorKind.USER),
    /** The output path is a file, or cannot be used as a folder. */
    OUTPUT_INVALID(ErrorKind.USER),
    /** The output folder holds files that are not a previous sample-data generation. */
    OUTPUT_NOT_EMPTY(ErrorKind.USER),
    /** Writing or deleting a file failed (disk full, permissions, storage down). */
    WRITE_FAILED(ErrorKind.EXTERNAL),
    /** The generation was interrupted. */
    INTERRUPTED(ErrorKind.EXTERNAL),
    /** A bug in the generator. */
    GENERATION_FAILED(ErrorKind.INTERNAL);

    private final ErrorKind kind;

    SampleDataErrorCode(ErrorKind kind) {
        this.kind = kind;
    }

    @Override
    public ErrorKind kind() {
        return kind;
    }
}
