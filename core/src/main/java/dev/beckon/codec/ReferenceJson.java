package dev.beckon.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.internal.json.Json;
import dev.beckon.internal.json.ReferenceCodecSupport;
import dev.beckon.reference.ConversationReference;
import java.nio.charset.StandardCharsets;

/**
 * The canonical JSON form of a reference: Bot Framework v4 {@code ConversationReference} JSON,
 * camelCase, absent fields omitted — what botbuilder-js and botbuilder-java read and write.
 *
 * <p>Reading is tolerant where the SDKs differ and strict where it matters: a missing optional
 * field is absent ({@code locale}, {@code activityId}, {@code user}, {@code bot},
 * {@code conversation.isGroup}); unknown fields are kept and written back in arrival order;
 * botbuilder-java's spurious {@code conversation.group} is read but never written. A reference
 * needs {@code conversation.id}, {@code channelId} and {@code serviceUrl}; anything missing or
 * mistyped raises a {@link MalformedReferenceException} naming the field.
 *
 * <p>Writing is deterministic: the same reference always gives the same bytes, so a
 * read-write round trip of canonical JSON is byte-exact. All methods are thread-safe.
 */
public final class ReferenceJson {

  private ReferenceJson() {}

  /**
   * Reads a reference from JSON text.
   *
   * @param json v4 ConversationReference JSON
   * @return the reference
   * @throws MalformedReferenceException naming the offending field
   */
  public static ConversationReference read(String json) {
    return ReferenceCodecSupport.read(Json.parse(json));
  }

  /**
   * Reads a reference from UTF-8 JSON bytes.
   *
   * @param json v4 ConversationReference JSON
   * @return the reference
   * @throws MalformedReferenceException naming the offending field
   */
  public static ConversationReference read(byte[] json) {
    if (json == null) {
      throw new MalformedReferenceException("$", "input is null");
    }
    return read(new String(json, StandardCharsets.UTF_8));
  }

  /**
   * Reads a reference from a Jackson tree.
   *
   * @param json the JSON object
   * @return the reference
   * @throws MalformedReferenceException naming the offending field
   */
  public static ConversationReference read(JsonNode json) {
    if (json == null) {
      throw new MalformedReferenceException("$", "input is null");
    }
    return ReferenceCodecSupport.read(json);
  }

  /**
   * Writes the canonical, compact JSON.
   *
   * @param reference the reference
   * @return JSON text
   */
  public static String write(ConversationReference reference) {
    return Json.writeReference(reference);
  }

  /**
   * Writes the canonical, compact JSON as UTF-8 bytes.
   *
   * @param reference the reference
   * @return UTF-8 bytes
   */
  public static byte[] writeBytes(ConversationReference reference) {
    return Json.write(g -> ReferenceCodecSupport.write(g, reference));
  }

  /**
   * Writes indented JSON for people to read (same fields and order as {@link #write}).
   *
   * @param reference the reference
   * @return JSON text
   */
  public static String writePretty(ConversationReference reference) {
    return new String(
        Json.writePretty(g -> ReferenceCodecSupport.write(g, reference)), StandardCharsets.UTF_8);
  }
}
