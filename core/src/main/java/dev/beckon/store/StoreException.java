package dev.beckon.store;

import dev.beckon.BeckonException;
import org.jspecify.annotations.Nullable;

/**
 * A store could not do what was asked: the backend is unreachable, a table is missing (the message
 * names it and the call that creates it), or the backend refused the request. The vendor exception
 * is the {@link #getCause() cause}. Nothing is half-written: a failed write either did not happen
 * or happened whole.
 */
public class StoreException extends BeckonException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the store and table; never a secret
   * @param cause the vendor exception, or {@code null}
   */
  public StoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
