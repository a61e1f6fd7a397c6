package dev.beckon;

import org.jspecify.annotations.Nullable;

/**
 * Root of Beckon's small family of unchecked exceptions.
 *
 * <p>Every failure Beckon raises on purpose is a {@code BeckonException}: malformed input ({@link
 * dev.beckon.codec.MalformedReferenceException}), optimistic-concurrency conflicts ({@link
 * dev.beckon.store.VersionConflictException}), store failures ({@link
 * dev.beckon.store.StoreException}) and send failures. A vendor exception, where there is one, is
 * kept as the {@link #getCause() cause}. Messages never contain secrets or tokens.
 */
public class BeckonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong, naming the offending input; never a secret
   */
  public BeckonException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the underlying cause.
   *
   * @param message what went wrong, naming the offending input; never a secret
   * @param cause the vendor or I/O exception behind it, may be {@code null}
   */
  public BeckonException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
