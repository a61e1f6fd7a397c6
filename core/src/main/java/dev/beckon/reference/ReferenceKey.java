package dev.beckon.reference;

import dev.beckon.internal.model.TextRules;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a stored reference: {@code (channelId, conversationId)}.
 *
 * <p>Any Unicode text is a valid id — Teams ids such as {@code 19:abc@thread.tacv2;messageid=1712},
 * ids containing {@code / \ # ? %}, spaces, emoji — as long as it is not blank, not longer than
 * {@link #MAX_ID_LENGTH} characters, contains no NUL character (U+0000) and is well-formed UTF-16:
 * a lone surrogate ({@code "dup\uD800"}) is refused, because its UTF-8 form would be {@code "dup?"}
 * and two different ids would share one key. So distinct ids always give distinct keys and distinct
 * {@link #hash()}es. Stores must keep both ids exactly; where a backend cannot use them as keys
 * directly it uses {@link #hash()}, a stable digest of both.
 *
 * @param channelId the channel, e.g. {@code msteams}, {@code emulator}, {@code directline}
 * @param conversationId the conversation id within that channel
 */
public record ReferenceKey(String channelId, String conversationId) {

  /** The longest id (in UTF-16 chars) accepted for a channel or conversation id. */
  public static final int MAX_ID_LENGTH = TextRules.MAX_ID_LENGTH;

  /**
   * Validates both ids.
   *
   * @param channelId the channel, e.g. {@code msteams}, {@code emulator}, {@code directline}
   * @param conversationId the conversation id within that channel
   */
  public ReferenceKey {
    requireId(channelId, "channelId");
    requireId(conversationId, "conversationId");
  }

  /**
   * Creates a key.
   *
   * @param channelId the channel id, not blank
   * @param conversationId the conversation id, not blank
   * @return the key
   * @throws IllegalArgumentException naming the id when one is null, blank, too long, contains NUL
   *     or is not well-formed UTF-16
   */
  public static ReferenceKey of(String channelId, String conversationId) {
    return new ReferenceKey(channelId, conversationId);
  }

  /**
   * A stable, collision-resistant digest of both ids: the lowercase hex SHA-256 of the UTF-8
   * channel id's length (4 bytes, big-endian), the channel id and the conversation id, all in UTF-8
   * (64 characters). Safe as a key in any backend. Stable across releases: stores persist it.
   *
   * @return 64 lowercase hex characters
   */
  public String hash() {
    return HexFormat.of().formatHex(digest());
  }

  /**
   * A stable non-negative 31-bit bucket derived from {@link #hash()}, used to split listings into
   * disjoint segments ({@code bucket() % count == index}).
   *
   * @return a value in {@code [0, Integer.MAX_VALUE]}
   */
  public int bucket() {
    byte[] d = digest();
    return ((d[0] & 0x7f) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
  }

  private byte[] digest() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] channel = channelId.getBytes(StandardCharsets.UTF_8);
      int n = channel.length;
      sha.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
      sha.update(channel);
      sha.update(conversationId.getBytes(StandardCharsets.UTF_8));
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  static void requireId(String value, String name) {
    TextRules.requireId(value, name, true);
  }
}
