package dev.beckon.store.spi;

import dev.beckon.store.StoreException;
import dev.beckon.store.TableMissingException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one factory of the exceptions a store raises, so that every store words them alike. Each
 * message names the store by its {@code toString()} (which never holds an address or a secret), the
 * operation, and the backend's own message; the backend's exception is the cause.
 *
 * <pre>{@code
 * } catch (JedisException e) {
 *   throw StoreErrors.failure(this, "save", e);
 * }
 * }</pre>
 */
public final class StoreErrors {

  private StoreErrors() {}

  /**
   * The backend failed (unreachable, timed out, refused the operation).
   *
   * @param store the store, named by its {@code toString()}
   * @param operation the operation, e.g. {@code save}
   * @param cause the backend's exception
   * @return the exception to throw
   */
  public static StoreException failure(Object store, String operation, Throwable cause) {
    Objects.requireNonNull(cause, "cause");
    return new StoreException(store + " " + operation + " failed: " + messageOf(cause), cause);
  }

  /**
   * The backend failed, with a detail that says more than its own message.
   *
   * @param store the store, named by its {@code toString()}
   * @param operation the operation, e.g. {@code save}
   * @param detail what went wrong, in words
   * @param cause the backend's exception, or {@code null}
   * @return the exception to throw
   */
  public static StoreException failure(
      Object store, String operation, String detail, @Nullable Throwable cause) {
    return new StoreException(store + " " + operation + " failed: " + detail, cause);
  }

  /**
   * The table (or key space, or container) the store needs does not exist.
   *
   * @param store the store, named by its {@code toString()}
   * @param operation the operation that found out
   * @param howToCreate how to create it, e.g. {@code "call createSchema()"}
   * @param cause the backend's exception, or {@code null}
   * @return the exception to throw
   */
  public static TableMissingException tableMissing(
      Object store, String operation, String howToCreate, @Nullable Throwable cause) {
    return new TableMissingException(
        store + " " + operation + " failed: its table does not exist (" + howToCreate + ")", cause);
  }

  /**
   * A batch write failed part way: what is saved and what is not.
   *
   * @param store the store, named by its {@code toString()}
   * @param saved how many references of the batch were saved, in order, before the failure
   * @param total how many the batch had
   * @param cause the failure
   * @return the exception to throw
   */
  public static StoreException partialBatch(Object store, int saved, int total, Throwable cause) {
    return new StoreException(
        store
            + " saveAll failed after saving the first "
            + saved
            + " of "
            + total
            + " references (the rest were not saved): "
            + messageOf(cause),
        cause);
  }

  /**
   * A listing cursor (or the store's position inside it) that this store and query did not produce.
   *
   * @param why what is wrong with it, without echoing it
   * @return the exception to throw
   */
  public static IllegalArgumentException badCursor(String why) {
    return new IllegalArgumentException("cursor was not produced by this listing: " + why);
  }

  private static String messageOf(Throwable cause) {
    String m = cause.getMessage();
    return m == null || m.isBlank() ? cause.getClass().getSimpleName() : m;
  }
}
