package dev.beckon.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.codec.ReferenceJson;
import dev.beckon.internal.json.Json;
import dev.beckon.internal.json.TextRules;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What a store writes for a reference: the canonical JSON payload plus the few values a backend
 * indexes. For store implementers: keys, JSON, size limits and segment buckets are computed here,
 * once, so that every store behaves alike.
 *
 * <pre>{@code
 * ReferenceDocument doc = ReferenceDocument.of(reference);   // validates the size
 * // write doc.keyHash(), doc.key().channelId(), doc.key().conversationId(),
 * //       doc.tenantId(), doc.bucket(), doc.json() ...
 * StoredReference back = ReferenceDocument.read(key, jsonFromTheStore, versionFromTheStore);
 * }</pre>
 *
 * <p>{@link #read(ReferenceKey, String, String)} (for {@code find}) and {@link #read(String,
 * String, String, String, String)} (for listings) read a stored row back and raise {@link
 * UnreadableReferenceException} for a row that cannot be read, naming its key.
 *
 * @param key the key
 * @param keyHash {@link ReferenceKey#hash()}: 64 hex chars, safe as a key anywhere
 * @param bucket {@link ReferenceKey#bucket()}: for {@link Segment#contains}
 * @param tenantId {@code conversation.tenantId}, or {@code null}
 * @param json the canonical JSON ({@link ReferenceJson#write})
 * @param jsonBytes the size of {@code json} in UTF-8 bytes
 */
public record ReferenceDocument(
    ReferenceKey key,
    String keyHash,
    int bucket,
    @Nullable String tenantId,
    String json,
    int jsonBytes) {

  /** The largest canonical JSON any Beckon store accepts: 32 KiB. */
  public static final int MAX_JSON_BYTES = 32 * 1024;

  /**
   * Checks the parts.
   *
   * @param key the key
   * @param keyHash {@link ReferenceKey#hash()}: 64 hex chars, safe as a key anywhere
   * @param bucket {@link ReferenceKey#bucket()}: for {@link Segment#contains}
   * @param tenantId {@code conversation.tenantId}, or {@code null}
   * @param json the canonical JSON ({@link ReferenceJson#write})
   * @param jsonBytes the size of {@code json} in UTF-8 bytes
   */
  public ReferenceDocument {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(json, "json");
  }

  /**
   * Builds the document of a reference.
   *
   * @param reference the reference
   * @return the document
   * @throws ReferenceTooLargeException when its JSON exceeds {@link #MAX_JSON_BYTES}
   */
  public static ReferenceDocument of(ConversationReference reference) {
    return of(reference, dev.beckon.codec.BotField.BOT);
  }

  /**
   * Builds the document of a reference, its bot account written under the chosen name(s).
   *
   * @param reference the reference
   * @param botField {@code bot}, {@code agent} (the Agents SDK's name) or both
   * @return the document
   * @throws ReferenceTooLargeException when its JSON exceeds {@link #MAX_JSON_BYTES}
   */
  public static ReferenceDocument of(
      ConversationReference reference, dev.beckon.codec.BotField botField) {
    Objects.requireNonNull(reference, "reference");
    String json = ReferenceJson.write(reference, botField);
    int size = (int) TextRules.utf8Length(json, Integer.MAX_VALUE);
    ReferenceKey key = reference.key();
    if (size > MAX_JSON_BYTES) {
      throw new ReferenceTooLargeException(key, size, MAX_JSON_BYTES);
    }
    String hash = key.hash();
    // == key.bucket(): the first 31 bits of the same digest, without hashing twice
    int bucket = (int) (Long.parseLong(hash.substring(0, 8), 16) & 0x7fffffffL);
    return new ReferenceDocument(
        key, hash, bucket, reference.conversation().tenantId(), json, size);
  }

  /**
   * Reads the row a store found for a key ({@code find}).
   *
   * @param key the key asked for
   * @param json the stored payload, or {@code null} when the row has none
   * @param version the stored version, or {@code null} when the row has none
   * @return the stored reference
   * @throws UnreadableReferenceException when the payload cannot be read, is another key's, or the
   *     version is missing
   */
  public static StoredReference read(
      ReferenceKey key, @Nullable String json, @Nullable String version) {
    Objects.requireNonNull(key, "key");
    return read(key.hash(), key, () -> key, json, version);
  }

  /**
   * Reads a row a store listed. The key is taken from the row's own key fields when they are valid
   * and match the key hash, else recovered from the payload when possible; it is only used to
   * report an unreadable row.
   *
   * @param keyHash the row's key hash, as the store keys it
   * @param channelId the row's channel id field, or {@code null} when the store keeps none
   * @param conversationId the row's conversation id field, or {@code null} when the store keeps
   *     none
   * @param json the stored payload, or {@code null} when the row has none
   * @param version the stored version, or {@code null} when the row has none
   * @return the stored reference
   * @throws UnreadableReferenceException when the payload cannot be read, is another key's, or the
   *     version is missing; a listing adds {@link UnreadableReferenceException#unreadable()} to its
   *     page and goes on
   */
  public static StoredReference read(
      String keyHash,
      @Nullable String channelId,
      @Nullable String conversationId,
      @Nullable String json,
      @Nullable String version) {
    Objects.requireNonNull(keyHash, "keyHash");
    return read(
        keyHash, null, () -> keyOf(keyHash, channelId, conversationId, json), json, version);
  }

  /**
   * Reads a row; {@code key} is only asked for when the row is unreadable, to name it. With the key
   * asked for ({@code find}), the payload's key is compared to it directly: the same check as the
   * hash, without a SHA-256 per read.
   */
  private static StoredReference read(
      String keyHash,
      @Nullable ReferenceKey expected,
      Supplier<@Nullable ReferenceKey> key,
      @Nullable String json,
      @Nullable String version) {
    if (json == null) {
      throw unreadable(keyHash, key, "the row has no payload");
    }
    if (version == null || version.isBlank()) {
      throw unreadable(keyHash, key, "the row has no version");
    }
    ConversationReference reference;
    try {
      reference = ReferenceJson.read(json);
    } catch (RuntimeException e) {
      throw unreadable(keyHash, key, String.valueOf(e.getMessage()));
    }
    if (expected != null
        ? !reference.key().equals(expected)
        : !reference.key().hash().equals(keyHash)) {
      throw unreadable(keyHash, key, "the payload is the reference of another key");
    }
    return new StoredReference(reference, version);
  }

  private static UnreadableReferenceException unreadable(
      String keyHash, Supplier<@Nullable ReferenceKey> key, String reason) {
    return new UnreadableReferenceException(new UnreadableReference(keyHash, key.get(), reason));
  }

  /**
   * The row's key from its fields, else from a payload the codec may refuse as a whole; or null.
   */
  private static @Nullable ReferenceKey keyOf(
      String keyHash,
      @Nullable String channelId,
      @Nullable String conversationId,
      @Nullable String json) {
    ReferenceKey fromFields = matching(keyHash, channelId, conversationId);
    if (fromFields != null || json == null) {
      return fromFields;
    }
    try {
      JsonNode tree = Json.parse(json);
      JsonNode channel = tree.path("channelId");
      JsonNode conversation = tree.path("conversation").path("id");
      return channel.isTextual() && conversation.isTextual()
          ? matching(keyHash, channel.asText(), conversation.asText())
          : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static @Nullable ReferenceKey matching(
      String keyHash, @Nullable String channelId, @Nullable String conversationId) {
    if (channelId == null || conversationId == null) {
      return null;
    }
    try {
      ReferenceKey key = ReferenceKey.of(channelId, conversationId);
      return key.hash().equals(keyHash) ? key : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
