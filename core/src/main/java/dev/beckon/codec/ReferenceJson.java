package dev.beckon.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.internal.json.Json;
import dev.beckon.internal.json.ReferenceWriter;
import dev.beckon.reference.ConversationReference;
import java.nio.charset.StandardCharsets;

/**
 * The canonical JSON form of a reference: Bot Framework v4 {@code ConversationReference} JSON,
 * camelCase, absent fields omitted — what botbuilder-js and botbuilder-java read and write.
 *
 * <p>Reading is tolerant where the SDKs differ and strict where it matters: a missing optional
 * field is absent ({@code locale}, {@code activityId}, {@code user}, {@code bot}, {@code
 * conversation.isGroup}); unknown fields are kept and written back in arrival order;
 * botbuilder-java's spurious {@code conversation.group} is read but never written. A reference
 * needs {@code conversation.id}, {@code channelId} and {@code serviceUrl}; anything missing or
 * mistyped raises a {@link MalformedReferenceException} naming the field.
 *
 * <p>What is refused, always as a {@link MalformedReferenceException} and never another exception:
 * input that is not one JSON object; bytes that are not UTF-8 (never replaced by U+FFFD); a
 * document over 4 MiB, nested deeper than 128, with more than 250,000 tokens, a string over
 * 1,000,000 characters or a number over 256 characters (Jackson's {@code StreamReadConstraints}); a
 * field name given twice; a string or field name anywhere that is not well-formed UTF-16 (a lone
 * surrogate such as {@code "\uD800"}); ids ({@code channelId}, {@code conversation.id}, {@code
 * activityId}, {@code user.id}, {@code bot.id}, {@code conversation.tenantId}) that break the
 * {@link dev.beckon.reference.ReferenceKey} rules (over 4,096 characters, a NUL character). NUL is
 * allowed in other strings.
 *
 * <p>Numbers in unknown fields are kept exactly, never through {@code double}: integers as {@code
 * Integer}, {@code Long} or {@code BigInteger}, others as {@code BigDecimal} with their scale
 * ({@code 1.50} stays {@code 1.50}). A number is refused when its canonical text would not read
 * back: an exponent beyond what Java holds ({@code 1e9999999999}) or a scale beyond &plusmn;9,999
 * ({@code 82969e2147483646}, whose canonical form would be {@code 8.2969E+2147483650}), or a
 * canonical form over 256 characters. So every accepted input round-trips: {@code
 * read(write(read(x)))} equals {@code read(x)}.
 *
 * <p>The Microsoft 365 Agents SDK names the bot account {@code agent}: it is read as the bot
 * ({@link ConversationReference#bot()}); a reference naming different accounts under {@code bot}
 * and {@code agent} is refused. {@link #write(ConversationReference)} writes {@code bot} only (the
 * canonical form); {@link #write(ConversationReference, BotField)} writes {@code agent} or both,
 * for stores shared with Agents SDK bots.
 *
 * <p>Writing is deterministic: the same reference always gives the same bytes, so a read-write
 * round trip of canonical JSON is byte-exact. All methods are thread-safe.
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
    return ReferenceReader.read(Nodes.parse(json));
  }

  /**
   * Reads a reference from UTF-8 JSON bytes.
   *
   * @param json v4 ConversationReference JSON, UTF-8 (a byte order mark is skipped)
   * @return the reference
   * @throws MalformedReferenceException naming the offending field, or when the bytes are not valid
   *     UTF-8 (they are never replaced by U+FFFD)
   */
  public static ConversationReference read(byte[] json) {
    return ReferenceReader.read(Nodes.parse(json));
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
    try {
      return ReferenceReader.read(json);
    } catch (StackOverflowError e) {
      // a tree built by the caller is not bounded by Beckon's parser
      throw new MalformedReferenceException("$", "input is nested too deeply");
    }
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
    return Json.write(g -> ReferenceWriter.write(g, reference));
  }

  /**
   * Writes indented JSON for people to read (same fields and order as {@link #write}).
   *
   * @param reference the reference
   * @return JSON text
   */
  public static String writePretty(ConversationReference reference) {
    return new String(
        Json.writePretty(g -> ReferenceWriter.write(g, reference)), StandardCharsets.UTF_8);
  }

  /**
   * Writes compact JSON with the bot account under the chosen name(s); with {@link BotField#BOT} it
   * is {@link #write(ConversationReference)}.
   *
   * @param reference the reference
   * @param botField {@code bot}, {@code agent} or both
   * @return JSON text
   */
  public static String write(ConversationReference reference, BotField botField) {
    if (botField == BotField.BOT) {
      return write(reference);
    }
    return new String(writeBytes(reference, botField), StandardCharsets.UTF_8);
  }

  /**
   * Writes compact UTF-8 JSON with the bot account under the chosen name(s).
   *
   * @param reference the reference
   * @param botField {@code bot}, {@code agent} or both
   * @return UTF-8 bytes
   */
  public static byte[] writeBytes(ConversationReference reference, BotField botField) {
    java.util.Objects.requireNonNull(botField, "botField");
    return Json.write(
        g -> ReferenceWriter.write(g, reference, botField.writesBot(), botField.writesAgent()));
  }

  /**
   * Writes indented JSON with the bot account under the chosen name(s).
   *
   * @param reference the reference
   * @param botField {@code bot}, {@code agent} or both
   * @return JSON text
   */
  public static String writePretty(ConversationReference reference, BotField botField) {
    java.util.Objects.requireNonNull(botField, "botField");
    return new String(
        Json.writePretty(
            g -> ReferenceWriter.write(g, reference, botField.writesBot(), botField.writesAgent())),
        StandardCharsets.UTF_8);
  }
}
