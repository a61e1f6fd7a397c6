package dev.beckon.auth;

import dev.beckon.BeckonException;
import org.jspecify.annotations.Nullable;

/**
 * No token could be obtained. The message names the endpoint and the service's error code, never
 * the secret. {@link #retryable()} says whether trying later can help (429/5xx/network) or not
 * (wrong app id or secret, wrong tenant).
 */
public class TokenException extends BeckonException {
  private static final long serialVersionUID = 1L;

  /** Whether trying again later can help. */
  private final boolean retryable;

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param retryable whether a later attempt may succeed
   * @param cause the I/O failure, or {@code null}
   */
  public TokenException(String message, boolean retryable, @Nullable Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /**
   * Whether trying again later can help.
   *
   * @return true for throttling, server errors and network failures
   */
  public boolean retryable() {
    return retryable;
  }
}
