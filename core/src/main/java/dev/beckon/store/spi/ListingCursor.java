package dev.beckon.store.spi;

import dev.beckon.store.ListQuery;
import dev.beckon.store.Segment;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The one listing cursor of every store: {@code c1.} then URL-safe Base64 (no padding) of the
 * query's binding (8 bytes), the store's position (UTF-8) and a checksum of both (8 bytes).
 *
 * <p>The binding is the first 8 bytes of the SHA-256 of the store's identity and the query's
 * filters (channel, tenant, segment; not the page size, which may change from page to page), so a
 * cursor of another query or store is refused, and the checksum refuses a truncated or edited one,
 * before its position reaches the backend. The cursor is not a secret and not signed: a position
 * forged with a right checksum only moves a listing of the same query, and the store still parses
 * it strictly.
 */
final class ListingCursor {

  private static final String PREFIX = "c1.";
  private static final int BINDING = 8;
  private static final int CHECKSUM = 8;

  /** Base64 of the largest cursor: 2,048 characters of position at up to 3 UTF-8 bytes each. */
  static final int MAX_LENGTH =
      PREFIX.length() + ((BINDING + ScanResult.MAX_POSITION_LENGTH * 3 + CHECKSUM) * 4 + 2) / 3;

  private ListingCursor() {}

  /** The binding of a query to a store. */
  static byte[] binding(String store, ListQuery query) {
    Segment s = query.segment();
    String text =
        store
            + '\u0000'
            + field(query.channelId())
            + '\u0000'
            + field(query.tenantId())
            + '\u0000'
            + (s == null ? "-" : s.index() + "/" + s.count());
    return Arrays.copyOf(sha256(text.getBytes(StandardCharsets.UTF_8)), BINDING);
  }

  private static String field(@Nullable String value) {
    // "-" cannot be confused with a present value, which is prefixed
    return value == null ? "-" : "=" + value;
  }

  static String encode(byte[] binding, String position) {
    byte[] p = position.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(BINDING + p.length + CHECKSUM);
    b.put(binding).put(p);
    b.put(sha256(Arrays.copyOf(b.array(), BINDING + p.length)), 0, CHECKSUM);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  /**
   * The position inside a cursor of this binding.
   *
   * @throws IllegalArgumentException when the cursor is malformed, edited or of another query or
   *     store
   */
  static String decode(String cursor, byte[] binding) {
    if (cursor.length() > MAX_LENGTH || !cursor.startsWith(PREFIX)) {
      throw StoreErrors.badCursor("it is not a Beckon listing cursor");
    }
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(cursor.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw StoreErrors.badCursor("it is not a Beckon listing cursor");
    }
    if (raw.length < BINDING + CHECKSUM) {
      throw StoreErrors.badCursor("it is truncated");
    }
    int body = raw.length - CHECKSUM;
    byte[] expected = Arrays.copyOf(sha256(Arrays.copyOf(raw, body)), CHECKSUM);
    if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, body, raw.length))) {
      throw StoreErrors.badCursor("it is damaged or was edited");
    }
    if (!MessageDigest.isEqual(binding, Arrays.copyOf(raw, BINDING))) {
      throw StoreErrors.badCursor("it belongs to another query or another store");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw, BINDING, body - BINDING))
          .toString();
    } catch (CharacterCodingException e) {
      throw StoreErrors.badCursor("its position is not text");
    }
  }

  private static byte[] sha256(byte[] in) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(in);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
