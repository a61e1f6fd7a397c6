package dev.beckon.store;

import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import java.util.Objects;

/**
 * A reference as a store holds it, with the version the store assigned to this write.
 *
 * <p>The version is an opaque ETag-like token: pass it to {@link
 * ReferenceRepository#replace(ConversationReference, String)} or {@link
 * ReferenceRepository#delete(ReferenceKey, String)} for optimistic concurrency. Two successive
 * writes of the same key never have the same version.
 *
 * @param reference the reference
 * @param version the store's version token for it; never blank
 */
public record StoredReference(ConversationReference reference, String version) {

  /**
   * Validates both parts.
   *
   * @param reference the reference
   * @param version the store's version token for it; never blank
   */
  public StoredReference {
    Objects.requireNonNull(reference, "reference");
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException("version must not be blank");
    }
  }

  /**
   * The key of the reference.
   *
   * @return {@code (channelId, conversationId)}
   */
  public ReferenceKey key() {
    return reference.key();
  }
}
