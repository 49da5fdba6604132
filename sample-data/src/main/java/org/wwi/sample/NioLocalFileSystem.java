package org.wwi.sample;

import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Hadoop's checksummed local file system ({@code file:}, writing {@code .name.crc} beside every
 * file), except that permissions are set through Java NIO: without Hadoop's native library,
 * {@link RawLocalFileSystem} forks a {@code chmod} process for every file and folder, which
 * made writing a few hundred files take seconds. Registered as {@code fs.file.impl} (uncached)
 * in the configuration {@link SparkParquet} uses, so Hadoop instantiates it by reflection.
 */
final class NioLocalFileSystem extends LocalFileSystem {
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    NioLocalFileSystem() {
        super(new NioRawLocalFileSystem());
    }

    static Set<PosixFilePermission> posix(FsPermission permission) {
        short mode = permission.toShort();
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < BITS.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(BITS[bit]);
            }
        }
        return set;
    }

    private static final class NioRawLocalFileSystem extends RawLocalFileSystem {
        @Override
        public void setPermission(Path path, FsPermission permission) throws IOException {
            try {
                Files.setPosixFilePermissions(pathToFile(path).toPath(), posix(permission));
            } catch (UnsupportedOperationException e) {
                super.setPermission(path, permission);
            }
        }
    }
}
