package dev.beckon.store.spi;

import org.jspecify.annotations.Nullable;

/**
 * What a conditional write or remove did: applied, or refused because its {@link Precondition} did
 * not hold (and then, when the backend told it in the same round trip, what is stored).
 *
 * <p>For a remove, {@linkplain #applied() applied} means a live row was removed; a remove that
 * found nothing live is {@linkplain #refused(String) refused} with no current version.
 *
 * @param applied whether the operation changed the store
 * @param currentVersion the version of the live row that made it refuse, or {@code null} when no
 *     live row is stored or the backend did not say ({@link #currentKnown()})
 * @param currentKnown whether {@code currentVersion} is what the backend holds; when {@code false}
 *     the base class reads the row to report a conflict
 */
public record WriteResult(boolean applied, @Nullable String currentVersion, boolean currentKnown) {

  private static final WriteResult APPLIED = new WriteResult(true, null, true);
  private static final WriteResult ABSENT = new WriteResult(false, null, true);
  private static final WriteResult UNKNOWN = new WriteResult(false, null, false);

  /**
   * Checks the parts.
   *
   * @param applied whether the operation changed the store
   * @param currentVersion the version of the live row that made it refuse, or {@code null}
   * @param currentKnown whether {@code currentVersion} is what the backend holds
   */
  public WriteResult {
    if (applied && currentVersion != null) {
      throw new IllegalArgumentException("an applied write has no conflicting version");
    }
  }

  /**
   * The operation was applied.
   *
   * @return the result
   */
  public static WriteResult ok() {
    return APPLIED;
  }

  /**
   * The precondition did not hold; the backend said what is stored.
   *
   * @param currentVersion the version of the live row stored, or {@code null} when none is
   * @return the result
   */
  public static WriteResult refused(@Nullable String currentVersion) {
    return currentVersion == null ? ABSENT : new WriteResult(false, currentVersion, true);
  }

  /**
   * The precondition did not hold, and the backend did not say what is stored (a SQL {@code UPDATE
   * ... WHERE version = ?} that matched no row, for example).
   *
   * @return the result
   */
  public static WriteResult refusedUnknownVersion() {
    return UNKNOWN;
  }
}
