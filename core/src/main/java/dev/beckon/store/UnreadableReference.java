package dev.beckon.store;

import dev.beckon.reference.ReferenceKey;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A stored row whose payload cannot be read back as a reference: JSON the codec refuses (for
 * example one written by an older release, before the codec refused it), garbage, a truncated
 * payload, a payload that belongs to another key, or a row without its version. Listings report
 * such rows in {@link Page#unreadable()} instead of failing, so that one bad row never stops a
 * listing, an export, a migration or a broadcast; {@link ReferenceRepository#find} raises {@link
 * UnreadableReferenceException} for it.
 *
 * <p>Repair a row by saving a good reference under its key, or remove it with {@link
 * ReferenceRepository#delete(ReferenceKey)}.
 *
 * @param keyHash the row's {@link ReferenceKey#hash()}, as the store keys it: always known
 * @param key the row's key, or {@code null} when the row's own key fields cannot be read either
 *     (for example a garbage payload in a Redis row written by an earlier build, which kept the
 *     conversation id only inside the payload)
 * @param reason why it cannot be read, e.g. the codec's message; never the payload itself
 */
public record UnreadableReference(String keyHash, @Nullable ReferenceKey key, String reason) {

  /**
   * Checks the parts.
   *
   * @param keyHash the row's {@link ReferenceKey#hash()}, as the store keys it: always known
   * @param key the row's key, or {@code null} when the row's own key fields cannot be read either
   *     (for example a garbage payload in a Redis row written by an earlier build, which kept the
   *     conversation id only inside the payload)
   * @param reason why it cannot be read, e.g. the codec's message; never the payload itself
   */
  public UnreadableReference {
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * The row for messages: its channel and conversation when known, else its key hash.
   *
   * @return e.g. {@code channel 'msteams', conversation '19:abc@thread.v2'}
   */
  public String describe() {
    return key == null
        ? "key hash " + keyHash
        : "channel '" + key.channelId() + "', conversation '" + key.conversationId() + "'";
  }
}
