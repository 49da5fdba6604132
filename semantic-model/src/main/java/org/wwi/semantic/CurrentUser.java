package org.wwi.semantic;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The user an HTTP request was authenticated as, for the duration of the request: set by the
 * server around each Avatica call ({@code doAsRemoteUser}), read by {@link SemanticMeta}.
 */
final class CurrentUser {
    private static final ThreadLocal<ServeConfig.User> USER = new ThreadLocal<>();

    private CurrentUser() {
    }

    static Optional<ServeConfig.User> get() {
        return Optional.ofNullable(USER.get());
    }

    static <T> T runAs(ServeConfig.User user, Callable<T> action) throws Exception {
        ServeConfig.User previous = USER.get();
        USER.set(user);
        try {
            return action.call();
        } finally {
            if (previous == null) {
                USER.remove();
            } else {
                USER.set(previous);
            }
        }
    }
}
