package dev.beckon.store.spi;

import org.jspecify.annotations.Nullable;

/**
 * What a conditional write or remove did: applied, or refused because its {@link Precondition} did
 * not hold (and then, when the backend told it in the same round trip, what is stored).
 *
 * <p>For a remove, {@linkplain #applied() applied} means a live row was removed; a remove that
 * found nothing live is {@linkplain #refused(String) refused} with no version.
 *
 * @param applied whether the operation changed the store
 * @param version when applied: the version the backend assigned to the row (an ETag, say), or
 *     {@code null} when the row keeps {@link RowWrite#version()}; when refused: the version of the
 *     live row that made it refuse, or {@code null} when no live row is stored or the backend did
 *     not say
 * @param versionKnown whether a refusal's {@code version} is what the backend holds; when {@code
 *     false} the base class reads the row to report a conflict
 */
public record WriteResult(boolean applied, @Nullable String version, boolean versionKnown) {

  private static final WriteResult APPLIED = new WriteResult(true, null, true);
  private static final WriteResult ABSENT = new WriteResult(false, null, true);
  private static final WriteResult UNKNOWN = new WriteResult(false, null, false);

  /**
   * Checks the parts.
   *
   * @param applied whether the operation changed the store
   * @param version the assigned version (applied) or the live row's version (refused), or {@code
   *     null}
   * @param versionKnown whether a refusal's {@code version} is what the backend holds
   */
  public WriteResult {
    if (version != null && version.isBlank()) {
      throw new IllegalArgumentException("a version must not be blank");
    }
  }

  /**
   * The operation was applied; the row keeps the version the base class chose.
   *
   * @return the result
   */
  public static WriteResult ok() {
    return APPLIED;
  }

  /**
   * The operation was applied, and the backend assigned the row its own version (an ETag), which
   * the base class then reports instead of {@link RowWrite#version()}. Only for backends that
   * version rows themselves; the version must change with every write.
   *
   * @param assignedVersion the backend's version of the row
   * @return the result
   */
  public static WriteResult ok(String assignedVersion) {
    return new WriteResult(true, java.util.Objects.requireNonNull(assignedVersion), true);
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
   * What a write or remove did, from a backend that tells only whether it applied (a SQL row count,
   * a conditional check that failed): {@link #ok()}, or a refusal of unknown version ({@link
   * #refusedUnknownVersion()}, the base class reads the row when it needs it); under {@link
   * Precondition#any()}, where only a remove that found no live row is refused, {@link
   * #refused(String) refused(null)}.
   *
   * @param applied whether the backend applied it
   * @param precondition the precondition it was given
   * @return the result
   */
  public static WriteResult applied(boolean applied, Precondition precondition) {
    if (applied) {
      return APPLIED;
    }
    return precondition.kind() == Precondition.Kind.ANY ? ABSENT : UNKNOWN;
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
