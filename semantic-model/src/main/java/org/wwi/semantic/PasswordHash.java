package org.wwi.semantic;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import static java.util.Objects.requireNonNull;

/**
 * Password hashes of the JDBC server's users, with the JDK's PBKDF2 (HMAC-SHA256, random 16-byte
 * salt, 600,000 iterations as OWASP recommends), written as
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (base64). Passwords are never stored or logged
 * in clear; {@code wwi serve --hash-password} prints a hash for {@code serve.yaml}.
 */
public final class PasswordHash {
    static final String PREFIX = "pbkdf2-sha256";
    static final int ITERATIONS = 600_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    /** A new hash of {@code password} with a random salt. */
    public static String hash(char[] password) {
        return hash(password, ITERATIONS);
    }

    static String hash(char[] password, int iterations) {
        requireNonNull(password, "password is null");
        if (password.length == 0) {
            throw new SemanticException(SemanticErrorCode.CONFIG_INVALID, "Cannot hash an empty password "
                    + "(choose a password)");
        }
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] h = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(h);
    }

    /** Whether {@code password} matches {@code stored}, in time independent of where they differ. */
    public static boolean verify(char[] password, String stored) {
        Parsed p = parse(stored);
        byte[] h = derive(password, p.salt(), p.iterations());
        return MessageDigest.isEqual(h, p.hash());
    }

    /** Fails unless {@code stored} is a hash this class wrote (checked when the configuration loads). */
    static void check(String stored, String where) {
        try {
            parse(stored);
        } catch (IllegalArgumentException e) {
            throw new SemanticException(SemanticErrorCode.CONFIG_INVALID, "Cannot use the password of " + where
                    + ": it is not a " + PREFIX + " hash (" + e.getMessage() + "; make one with wwi serve "
                    + "--hash-password, never write the password itself)");
        }
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String stored) {
        requireNonNull(stored, "stored is null");
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            throw new IllegalArgumentException("expected " + PREFIX + "$iterations$salt$hash");
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            if (iterations < 10_000) {
                throw new IllegalArgumentException("fewer than 10000 iterations");
            }
            Base64.Decoder d = Base64.getDecoder();
            return new Parsed(iterations, d.decode(parts[2]), d.decode(parts[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("iterations is not a number");
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new SemanticException(SemanticErrorCode.INTERNAL, "Cannot hash passwords: " + e.getMessage(), e);
        } finally {
            spec.clearPassword();
        }
    }

    /** A hash of nothing in particular, verified for unknown users so timing does not tell them apart. */
    static final String DECOY = hash("decoy-password-never-valid".toCharArray());

    static void wipe(char[] password) {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
    }
}
