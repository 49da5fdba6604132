package org.wwi.semantic;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Who runs a query: a user, the role whose views, hidden members and row filter apply, and the
 * user's attributes that row filters refer to ({@code {user.region}}). Without a role (the
 * operator at the command line, reports rendered by the platform) every view is visible and no
 * row filter applies.
 *
 * @param user       the user name, for the query log
 * @param role       the model role, or empty for unrestricted access
 * @param attributes attribute values, e.g. {@code region=Europe}
 */
public record Principal(String user, Optional<String> role, Map<String, String> attributes) {
    public Principal {
        requireNonNull(user, "user is null");
        requireNonNull(role, "role is null");
        attributes = Map.copyOf(requireNonNull(attributes, "attributes is null"));
    }

    /** Unrestricted access (command line, platform jobs). */
    public static Principal operator() {
        return new Principal(System.getProperty("user.name", "operator"), Optional.empty(), Map.of());
    }

    /** A user in a role with attributes. */
    public static Principal of(String user, String role, Map<String, String> attributes) {
        return new Principal(user, Optional.of(requireNonNull(role, "role is null")), attributes);
    }

    /** A stable key of everything that changes what this principal may see. */
    String accessKey() {
        return role.map(r -> "role:" + r).orElse("operator") + new TreeMap<>(attributes);
    }
}
