package dev.beckon.store;

import dev.beckon.codec.ReferenceJson;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a store writes for a reference: the canonical JSON payload plus the few values a
 * backend indexes. For store implementers: keys, JSON, size limits and segment buckets are
 * computed here, once, so that every store behaves alike.
 *
 * <pre>{@code
 * ReferenceDocument doc = ReferenceDocument.of(reference);   // validates the size
 * // write doc.keyHash(), doc.key().channelId(), doc.key().conversationId(),
 * //       doc.tenantId(), doc.bucket(), doc.json() ...
 * ConversationReference back = ReferenceDocument.parse(jsonFromTheStore);
 * }</pre>
 *
 * @param key the key
 * @param keyHash {@link ReferenceKey#hash()}: 64 hex chars, safe as a key anywhere
 * @param bucket {@link ReferenceKey#bucket()}: for {@link Segment#contains}
 * @param tenantId {@code conversation.tenantId}, or {@code null}
 * @param json the canonical JSON ({@link ReferenceJson#write})
 * @param jsonBytes the size of {@code json} in UTF-8 bytes
 */
public record ReferenceDocument(
    ReferenceKey key, String keyHash, int bucket, @Nullable String tenantId, String json, int jsonBytes) {

  /** The largest canonical JSON any Beckon store accepts: 32 KiB. */
  public static final int MAX_JSON_BYTES = 32 * 1024;

  /** Checks the parts. */
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
    Objects.requireNonNull(reference, "reference");
    String json = ReferenceJson.write(reference);
    int size = utf8Length(json);
    ReferenceKey key = reference.key();
    if (size > MAX_JSON_BYTES) {
      throw new ReferenceTooLargeException(key, size, MAX_JSON_BYTES);
    }
    String hash = key.hash();
    // == key.bucket(): the first 31 bits of the same digest, without hashing twice
    int bucket = (int) (Long.parseLong(hash.substring(0, 8), 16) & 0x7fffffffL);
    return new ReferenceDocument(key, hash, bucket, reference.conversation().tenantId(), json, size);
  }

  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /**
   * Parses a payload a store wrote.
   *
   * @param json the stored canonical JSON
   * @return the reference
   * @throws StoreException when the stored payload is not a valid reference (corrupt row)
   */
  public static ConversationReference parse(String json) {
    try {
      return ReferenceJson.read(json);
    } catch (RuntimeException e) {
      throw new StoreException("Stored reference payload is corrupt: " + e.getMessage(), e);
    }
  }
}
