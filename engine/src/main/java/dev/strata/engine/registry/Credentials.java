package dev.strata.engine.registry;

import java.util.Objects;

/**
 * A user name and secret for one registry. A {@code username} of {@code <token>} marks {@code secret} as an identity
 * (refresh) token, as the docker CLI stores them.
 */
public record Credentials(String username, String secret) {
    public static final String IDENTITY_TOKEN_USER = "<token>";

    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(secret, "secret");
    }

    public boolean isIdentityToken() {
        return IDENTITY_TOKEN_USER.equals(username);
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", ****]";
    }
}
