package dev.beckon.store;

import org.jspecify.annotations.Nullable;

/**
 * The table a store keeps its references in does not exist yet. The message names the table and the
 * call that creates it ({@code createSchema()}, {@code createTable()}); create it once, at
 * deployment, and the same call then succeeds.
 */
public class TableMissingException extends StoreException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the table and how to create it; never a secret
   * @param cause the vendor exception, or {@code null}
   */
  public TableMissingException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
