package dev.beckon.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A bearer token and when it expires. {@link #toString()} never shows the token.
 *
 * @param value the token
 * @param expiresAt when it stops being valid
 */
public record AccessToken(String value, Instant expiresAt) {

  /**
   * Validates.
   *
   * @param value the token
   * @param expiresAt when it stops being valid
   */
  public AccessToken {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  @Override
  public String toString() {
    return "AccessToken[value=***, expiresAt=" + expiresAt + "]";
  }
}
