package dev.beckon.store.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The condition under which a store applies a write or a remove, checked atomically with it.
 *
 * <p>A row whose expiry has passed counts as absent for every precondition, whether or not the
 * backend has removed it yet.
 *
 * @param kind what is required of the stored row
 * @param version the version the stored row must have, with {@link Kind#VERSION}; else {@code null}
 */
public record Precondition(Kind kind, @Nullable String version) {

  private static final Precondition ANY = new Precondition(Kind.ANY, null);
  private static final Precondition ABSENT = new Precondition(Kind.ABSENT, null);

  /** What is required of the stored row. */
  public enum Kind {
    /** Nothing: the write replaces whatever is stored (last write wins). */
    ANY,
    /** No live row: nothing is stored under the key, or only an expired row. */
    ABSENT,
    /** A live row whose version is {@link Precondition#version()}. */
    VERSION
  }

  /**
   * Checks that a version comes exactly with {@link Kind#VERSION}.
   *
   * @param kind what is required of the stored row
   * @param version the version the stored row must have, with {@link Kind#VERSION}; else {@code
   *     null}
   */
  public Precondition {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.VERSION) != (version != null)) {
      throw new IllegalArgumentException("a version goes with Kind.VERSION, and only with it");
    }
    if (version != null && version.isEmpty()) {
      throw new IllegalArgumentException("expectedVersion must not be empty");
    }
  }

  /**
   * Checks this precondition against the row a store read, for a store that then writes only if
   * that row is still the one read (a compare-and-set, an ETag's {@code If-Match}).
   *
   * @param liveVersion the version of the row read, or {@code null} when none is stored or it has
   *     expired
   * @return {@code null} when the precondition holds, else the refusal to return: {@link
   *     WriteResult#refused(String)} with {@code liveVersion}
   */
  public @Nullable WriteResult refusal(@Nullable String liveVersion) {
    boolean holds =
        switch (kind) {
          case ANY -> true;
          case ABSENT -> liveVersion == null;
          case VERSION -> Objects.equals(version, liveVersion);
        };
    return holds ? null : WriteResult.refused(liveVersion);
  }

  /**
   * No condition.
   *
   * @return the precondition
   */
  public static Precondition any() {
    return ANY;
  }

  /**
   * No live row under the key.
   *
   * @return the precondition
   */
  public static Precondition absent() {
    return ABSENT;
  }

  /**
   * A live row of this version.
   *
   * @param expected the version read before; not empty
   * @return the precondition
   */
  public static Precondition version(String expected) {
    return new Precondition(Kind.VERSION, Objects.requireNonNull(expected, "expectedVersion"));
  }
}
