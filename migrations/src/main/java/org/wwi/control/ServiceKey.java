package org.wwi.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The key that opens the master key without a password, like SQL Server's service master key.
 * Taken from {@code WWI_SERVICE_KEY} (base64 of 32 bytes; share it between the machines of
 * one deployment) or from a file ({@code .wwi/service.key}, created with owner-only access the
 * first time a master key is created).
 */
public final class ServiceKey {
    static final String ENV = "WWI_SERVICE_KEY";

    private final Optional<String> fromEnv;
    private final Path file;

    private ServiceKey(Optional<String> fromEnv, Path file) {
        this.fromEnv = fromEnv;
        this.file = requireNonNull(file, "file is null");
    }

    /** WWI_SERVICE_KEY when set, else {@code stateDir/service.key}. */
    public static ServiceKey standard(Path stateDir) {
        return new ServiceKey(Optional.ofNullable(System.getenv(ENV)).filter(s -> !s.isBlank()),
                stateDir.resolve("service.key"));
    }

    /** A key kept in a file only (tests, tools). */
    public static ServiceKey file(Path file) {
        return new ServiceKey(Optional.empty(), file);
    }

    String describe() {
        return fromEnv.isPresent() ? "environment variable " + ENV : "file " + file;
    }

    Optional<byte[]> current() {
        if (fromEnv.isPresent()) {
            return Optional.of(decode(fromEnv.get(), describe()));
        }
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), describe()));
        } catch (IOException e) {
            throw new ControlException(ControlErrorCode.IO_FAILED, "Cannot read the service key " + file + ": "
                    + e.getMessage(), e);
        }
    }

    byte[] getOrCreate() {
        Optional<byte[]> k = current();
        if (k.isPresent()) {
            return k.get();
        }
        byte[] key = Aead.randomBytes(Aead.KEY_BYTES);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system (Windows): the folder's permissions protect it
            }
            return key;
        } catch (FileAlreadyExistsException e) {
            return current().orElseThrow(); // another process created it meanwhile
        } catch (IOException e) {
            throw new ControlException(ControlErrorCode.IO_FAILED, "Cannot create the service key " + file + ": "
                    + e.getMessage(), e);
        }
    }

    private static byte[] decode(String base64, String where) {
        try {
            byte[] key = Base64.getDecoder().decode(base64.strip());
            if (key.length != Aead.KEY_BYTES) {
                throw new IllegalArgumentException("length " + key.length);
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new ControlException(ControlErrorCode.SERVICE_KEY_INVALID, "Cannot use the service key from "
                    + where + ": it must be the base64 of 32 bytes (e.g. `openssl rand -base64 32`)");
        }
    }
}
