package dev.beckon.store;

import dev.beckon.BeckonException;
import dev.beckon.reference.ReferenceKey;
import org.jspecify.annotations.Nullable;

/**
 * A conditional write or delete found another version than the one expected (or no reference at
 * all). Nothing was written. Re-read with {@link ReferenceRepository#find(ReferenceKey)}, merge,
 * and try again.
 */
public class VersionConflictException extends BeckonException {
  private static final long serialVersionUID = 1L;

  private final transient ReferenceKey key;

  /** The version the caller expected. */
  private final String expectedVersion;

  /**
   * Creates the exception.
   *
   * @param key the key written
   * @param expectedVersion the version the caller expected
   * @param actualVersion the stored version, or {@code null} when nothing is stored
   */
  public VersionConflictException(
      ReferenceKey key, String expectedVersion, @Nullable String actualVersion) {
    super(
        "Version conflict for channel '"
            + key.channelId()
            + "', conversation '"
            + key.conversationId()
            + "': expected version "
            + expectedVersion
            + (actualVersion == null
                ? " but no reference is stored"
                : " but the stored version is " + actualVersion));
    this.key = key;
    this.expectedVersion = expectedVersion;
  }

  /**
   * The key written.
   *
   * @return the key
   */
  public ReferenceKey key() {
    return key;
  }

  /**
   * The version the caller expected.
   *
   * @return the expected version
   */
  public String expectedVersion() {
    return expectedVersion;
  }
}
