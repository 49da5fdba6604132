package org.wwi.control;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.wwi.migrations.jooq.secrets.tables.records.MasterKeyRecord;
import org.wwi.platform.Database;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;
import static org.wwi.migrations.jooq.secrets.Tables.CREDENTIAL;
import static org.wwi.migrations.jooq.secrets.Tables.MASTER_KEY;

/**
 * The database master key and the database scoped credentials of the control database
 * (PolyBase's {@code CREATE MASTER KEY} / {@code CREATE DATABASE SCOPED CREDENTIAL}, and the
 * credentials of elastic-job targets). Secrets are AES-256-GCM-encrypted under the master key;
 * the master key is stored encrypted by the service key ({@link ServiceKey}) and by a key
 * derived from its password. Nothing here prints, logs or returns a secret except
 * {@link #secret(String)}, whose result masks itself in {@code toString}.
 */
public final class SecretStore {
    static final int KDF_ITERATIONS = 210_000;
    private static final byte[] MASTER_AAD = "wwi master key".getBytes(StandardCharsets.UTF_8);

    private final DSLContext dsl;
    private final ServiceKey serviceKey;

    private SecretStore(DSLContext dsl, ServiceKey serviceKey) {
        this.dsl = dsl;
        this.serviceKey = serviceKey;
    }

    /** The store of a control database; the service key comes from WWI_SERVICE_KEY or {@code stateDir/service.key}. */
    public static SecretStore open(Database control, Path stateDir) {
        return open(control, ServiceKey.standard(stateDir));
    }

    public static SecretStore open(Database control, ServiceKey serviceKey) {
        requireNonNull(control, "control is null");
        return new SecretStore(DSL.using(control.dataSource(), SQLDialect.POSTGRES),
                requireNonNull(serviceKey, "serviceKey is null"));
    }

    /** The same store working inside the caller's transaction. */
    public SecretStore using(Connection transaction) {
        return new SecretStore(DSL.using(requireNonNull(transaction, "transaction is null"), SQLDialect.POSTGRES),
                serviceKey);
    }

    /** Database scoped credential without its secret. */
    public record CredentialInfo(String name, String identity, Instant createdAt, Instant updatedAt) {
    }

    /** A credential's identity and secret; {@code toString} never shows the secret. */
    public record Secret(String identity, char[] secret) {
        public Secret {
            requireNonNull(identity, "identity is null");
            requireNonNull(secret, "secret is null");
        }

        @Override
        public String toString() {
            return "Secret[identity=" + identity + ", secret=***]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Secret s && identity.equals(s.identity) && Arrays.equals(secret, s.secret);
        }

        @Override
        public int hashCode() {
            return identity.hashCode() * 31 + Arrays.hashCode(secret);
        }
    }

    public boolean hasMasterKey() {
        return run("read the master key", () -> dsl.fetchExists(MASTER_KEY));
    }

    /** {@code CREATE MASTER KEY ENCRYPTION BY PASSWORD = '…'}. */
    public void createMasterKey(char[] password) {
        requireNonNull(password, "password is null");
        if (password.length < 8) {
            throw new ControlException(ControlErrorCode.WEAK_PASSWORD,
                    "Cannot create the master key: the password is too short (use at least 8 characters)");
        }
        if (hasMasterKey()) {
            throw new ControlException(ControlErrorCode.MASTER_KEY_EXISTS,
                    "Cannot create the master key: this database has one already (drop every credential and the "
                            + "key first, or keep using it)");
        }
        byte[] master = Aead.randomBytes(Aead.KEY_BYTES);
        byte[] service = serviceKey.getOrCreate();
        byte[] salt = Aead.randomBytes(16);
        byte[] pwKey = Aead.deriveKey(password, salt, KDF_ITERATIONS);
        try {
            run("create the master key", () -> dsl.insertInto(MASTER_KEY)
                    .set(MASTER_KEY.KEY_BY_SERVICE, Aead.seal(service, master, MASTER_AAD))
                    .set(MASTER_KEY.SERVICE_KEY_ID, Aead.fingerprint(service))
                    .set(MASTER_KEY.KEY_BY_PASSWORD, Aead.seal(pwKey, master, MASTER_AAD))
                    .set(MASTER_KEY.PASSWORD_SALT, salt)
                    .set(MASTER_KEY.KDF_ITERATIONS, KDF_ITERATIONS)
                    .execute());
        } finally {
            Arrays.fill(master, (byte) 0);
            Arrays.fill(pwKey, (byte) 0);
        }
    }

    /**
     * {@code OPEN MASTER KEY DECRYPTION BY PASSWORD = '…'}: proves the password and protects the
     * master key with this machine's service key (after a service key was lost or on a new machine).
     */
    public void openMasterKey(char[] password) {
        MasterKeyRecord r = masterKeyRecord();
        byte[] pwKey = Aead.deriveKey(password, r.getPasswordSalt(), r.getKdfIterations());
        byte[] master;
        try {
            master = Aead.open(pwKey, r.getKeyByPassword(), MASTER_AAD);
        } catch (GeneralSecurityException e) {
            throw new ControlException(ControlErrorCode.WRONG_PASSWORD,
                    "Cannot open the master key: the password is wrong");
        } finally {
            Arrays.fill(pwKey, (byte) 0);
        }
        byte[] service = serviceKey.getOrCreate();
        try {
            run("re-protect the master key", () -> dsl.update(MASTER_KEY)
                    .set(MASTER_KEY.KEY_BY_SERVICE, Aead.seal(service, master, MASTER_AAD))
                    .set(MASTER_KEY.SERVICE_KEY_ID, Aead.fingerprint(service))
                    .set(MASTER_KEY.REOPENED_AT, OffsetDateTime.now())
                    .execute());
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }

    /** {@code CREATE DATABASE SCOPED CREDENTIAL name WITH IDENTITY = '…', SECRET = '…'}. */
    public void createCredential(String name, String identity, char[] secret) {
        checkName(name);
        requireNonNull(identity, "identity is null");
        byte[] sealed = seal(name, secret);
        int n = run("create credential " + name, () -> dsl.insertInto(CREDENTIAL)
                .set(CREDENTIAL.NAME, name)
                .set(CREDENTIAL.IDENTITY, identity)
                .set(CREDENTIAL.SECRET, sealed)
                .onConflictDoNothing()
                .execute());
        if (n == 0) {
            throw new ControlException(ControlErrorCode.CREDENTIAL_EXISTS, "Cannot create credential " + name
                    + ": it exists already (ALTER DATABASE SCOPED CREDENTIAL changes it)");
        }
    }

    /** {@code ALTER DATABASE SCOPED CREDENTIAL name WITH IDENTITY = '…', SECRET = '…'}. */
    public void alterCredential(String name, String identity, char[] secret) {
        checkName(name);
        requireNonNull(identity, "identity is null");
        byte[] sealed = seal(name, secret);
        int n = run("alter credential " + name, () -> dsl.update(CREDENTIAL)
                .set(CREDENTIAL.IDENTITY, identity)
                .set(CREDENTIAL.SECRET, sealed)
                .set(CREDENTIAL.UPDATED_AT, OffsetDateTime.now())
                .where(CREDENTIAL.NAME.eq(name))
                .execute());
        if (n == 0) {
            throw notFound("alter", name);
        }
    }

    /** {@code DROP DATABASE SCOPED CREDENTIAL name}; callers check that nothing uses it first. */
    public void dropCredential(String name) {
        int n = run("drop credential " + name, () -> dsl.deleteFrom(CREDENTIAL).where(CREDENTIAL.NAME.eq(name))
                .execute());
        if (n == 0) {
            throw notFound("drop", name);
        }
    }

    public Optional<CredentialInfo> credential(String name) {
        return run("read credential " + name, () -> dsl.selectFrom(CREDENTIAL).where(CREDENTIAL.NAME.eq(name))
                .fetchOptional(r -> new CredentialInfo(r.getName(), r.getIdentity(), r.getCreatedAt().toInstant(),
                        r.getUpdatedAt().toInstant())));
    }

    public List<CredentialInfo> credentials() {
        return run("list credentials", () -> dsl.selectFrom(CREDENTIAL).orderBy(CREDENTIAL.NAME)
                .fetch(r -> new CredentialInfo(r.getName(), r.getIdentity(), r.getCreatedAt().toInstant(),
                        r.getUpdatedAt().toInstant())));
    }

    /** The identity and decrypted secret of a credential, for connecting to a target or storage. */
    public Secret secret(String name) {
        var r = run("read credential " + name, () -> dsl.selectFrom(CREDENTIAL).where(CREDENTIAL.NAME.eq(name))
                .fetchOptional()).orElseThrow(() -> notFound("use", name));
        byte[] master = masterKey();
        byte[] plain = null;
        try {
            plain = Aead.open(master, r.getSecret(), aad(name));
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(plain));
            char[] secret = new char[chars.remaining()];
            chars.get(secret);
            Arrays.fill(chars.array(), '\0');
            return new Secret(r.getIdentity(), secret);
        } catch (GeneralSecurityException e) {
            throw new ControlException(ControlErrorCode.SECRET_CORRUPT, "Cannot decrypt credential " + name
                    + ": the stored secret does not match the master key (it was altered or copied from another "
                    + "database; set it again with ALTER DATABASE SCOPED CREDENTIAL)");
        } finally {
            Arrays.fill(master, (byte) 0);
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private byte[] seal(String name, char[] secret) {
        requireNonNull(secret, "secret is null");
        byte[] master = masterKey();
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(secret));
        byte[] plain = new byte[bytes.remaining()];
        bytes.get(plain);
        Arrays.fill(bytes.array(), (byte) 0);
        try {
            return Aead.seal(master, plain, aad(name));
        } finally {
            Arrays.fill(master, (byte) 0);
            Arrays.fill(plain, (byte) 0);
        }
    }

    private MasterKeyRecord masterKeyRecord() {
        return run("read the master key", () -> dsl.selectFrom(MASTER_KEY).fetchOptional())
                .orElseThrow(() -> new ControlException(ControlErrorCode.NO_MASTER_KEY,
                        "Cannot use credentials: this database has no master key (run CREATE MASTER KEY "
                                + "ENCRYPTION BY PASSWORD = '…' first)"));
    }

    private byte[] masterKey() {
        MasterKeyRecord r = masterKeyRecord();
        byte[] service = serviceKey.current().orElseThrow(() -> new ControlException(
                ControlErrorCode.SERVICE_KEY_MISSING, "Cannot open the master key: no service key ("
                + serviceKey.describe() + "); copy the service key of the machine that created the master key, "
                + "or run OPEN MASTER KEY DECRYPTION BY PASSWORD = '…' to protect it with a new one"));
        if (!Aead.fingerprint(service).equals(r.getServiceKeyId())) {
            throw new ControlException(ControlErrorCode.SERVICE_KEY_MISMATCH, "Cannot open the master key: the "
                    + "service key (" + serviceKey.describe() + ") is not the one that protects it; use that "
                    + "machine's key, or run OPEN MASTER KEY DECRYPTION BY PASSWORD = '…'");
        }
        try {
            return Aead.open(service, r.getKeyByService(), MASTER_AAD);
        } catch (GeneralSecurityException e) {
            throw new ControlException(ControlErrorCode.SECRET_CORRUPT,
                    "Cannot open the master key: its stored form is damaged (restore secrets.master_key)");
        }
    }

    private static byte[] aad(String name) {
        return ("wwi credential " + name).getBytes(StandardCharsets.UTF_8);
    }

    private static void checkName(String name) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) {
            throw new ControlException(ControlErrorCode.CREDENTIAL_INVALID, "Cannot use credential name: '"
                    + name + "' (letters, digits and _, starting with a letter or _)");
        }
    }

    private static ControlException notFound(String verb, String name) {
        return new ControlException(ControlErrorCode.CREDENTIAL_NOT_FOUND, "Cannot " + verb + " credential "
                + name + ": it does not exist (CREATE DATABASE SCOPED CREDENTIAL " + name + " first)");
    }

    private static <T> T run(String what, java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (DataAccessException e) {
            throw new ControlException(ControlErrorCode.DATABASE_FAILED, "Cannot " + what + ": "
                    + e.getMessage().lines().reduce((a, b) -> b).orElse(""), e);
        }
    }
}
