package dev.beckon.store;

import java.util.Objects;

/**
 * {@link ReferenceRepository#find} found a row for the key but cannot read its payload (see {@link
 * UnreadableReference}). The store itself is fine, and so is every other row: listings go on past
 * such a row and report it in {@link Page#unreadable()}.
 */
public class UnreadableReferenceException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final transient UnreadableReference unreadable;

  /**
   * Creates the exception.
   *
   * @param unreadable the row and why it cannot be read
   */
  public UnreadableReferenceException(UnreadableReference unreadable) {
    super(
        "Stored reference unreadable ("
            + Objects.requireNonNull(unreadable, "unreadable").describe()
            + "): "
            + unreadable.reason()
            + ". Save a good reference under this key or delete it",
        null);
    this.unreadable = unreadable;
  }

  /**
   * The row and why it cannot be read.
   *
   * @return the unreadable row; its key is always set when raised by {@code find}
   */
  public UnreadableReference unreadable() {
    return unreadable;
  }
}
