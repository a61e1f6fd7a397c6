package dev.beckon.inbound;

import dev.beckon.BeckonException;

/**
 * An incoming request's token was missing or not valid. Answer 401; store nothing. The message says
 * why, and never contains the token.
 */
public class AuthenticationException extends BeckonException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param reason why the token was refused
   */
  public AuthenticationException(String reason) {
    super(reason);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param reason why the token was refused
   * @param cause the parser or I/O failure
   */
  public AuthenticationException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
