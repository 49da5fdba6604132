package org.wwi.semantic;

import org.eclipse.jetty.security.DefaultIdentityService;
import org.eclipse.jetty.security.IdentityService;
import org.eclipse.jetty.security.LoginService;
import org.eclipse.jetty.server.UserIdentity;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Subject;
import javax.servlet.ServletRequest;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Principal;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Checks HTTP BASIC credentials against the users of {@code serve.yaml} (PBKDF2 hashes). Every
 * Avatica call is an HTTP request with credentials; to keep PBKDF2's deliberate slowness to the
 * first request of a user, a successful check is remembered for a while as an HMAC of the
 * password under a key that exists only in this process. Unknown users cost a PBKDF2 check too,
 * so response times do not reveal which names exist.
 */
final class UserLoginService implements LoginService {
    static final String ROLE = "wwi-user";
    private static final Duration REMEMBER = Duration.ofMinutes(10);

    private final Map<String, ServeConfig.User> users;
    private final Map<String, Remembered> verified = new ConcurrentHashMap<>();
    private final byte[] key = new byte[32];
    private IdentityService identityService = new DefaultIdentityService();

    private record Remembered(byte[] mac, long until) {
    }

    /** The authenticated user, as the request's principal. */
    record UserPrincipal(ServeConfig.User user) implements Principal {
        @Override
        public String getName() {
            return user.name();
        }
    }

    UserLoginService(Map<String, ServeConfig.User> users) {
        this.users = Map.copyOf(requireNonNull(users, "users is null"));
        new SecureRandom().nextBytes(key);
    }

    @Override
    public String getName() {
        return "WWI semantic layer";
    }

    @Override
    public UserIdentity login(String username, Object credentials, ServletRequest request) {
        if (username == null || credentials == null) {
            return null;
        }
        char[] password = credentials instanceof char[] c ? c.clone() : credentials.toString().toCharArray();
        try {
            ServeConfig.User user = users.get(username);
            if (user == null) {
                PasswordHash.verify(password, PasswordHash.DECOY);
                return null;
            }
            byte[] mac = mac(username, password);
            Remembered r = verified.get(username);
            boolean ok = r != null && r.until() > System.currentTimeMillis() && MessageDigest.isEqual(r.mac(), mac);
            if (!ok) {
                ok = PasswordHash.verify(password, user.passwordHash());
                if (ok) {
                    verified.put(username, new Remembered(mac, System.currentTimeMillis() + REMEMBER.toMillis()));
                }
            }
            if (!ok) {
                return null;
            }
            UserPrincipal principal = new UserPrincipal(user);
            Subject subject = new Subject();
            subject.getPrincipals().add(principal);
            subject.setReadOnly();
            return identityService.newUserIdentity(subject, principal, new String[] {ROLE});
        } finally {
            PasswordHash.wipe(password);
        }
    }

    private byte[] mac(String user, char[] password) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            m.update(user.getBytes(StandardCharsets.UTF_8));
            m.update((byte) 0);
            ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
            m.update(b);
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean validate(UserIdentity user) {
        return user != null && users.containsKey(user.getUserPrincipal().getName());
    }

    @Override
    public IdentityService getIdentityService() {
        return identityService;
    }

    @Override
    public void setIdentityService(IdentityService service) {
        this.identityService = service;
    }

    @Override
    public void logout(UserIdentity user) {
        // stateless: every request carries its credentials
    }
}
