package dev.beckon.store.spi;

import dev.beckon.reference.ReferenceKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** What stores compute from keys alike: digests of ids, and the bucket of a key hash. */
public final class StoreKeys {

  private StoreKeys() {}

  /**
   * A digest of a text's UTF-8 bytes, in lower-case hex: how a store turns an id of any length and
   * character into a key its backend takes.
   *
   * @param algorithm {@code SHA-256} or {@code SHA-1} (every Java platform has both)
   * @param text the text
   * @return the hex digest
   * @throws IllegalArgumentException for an algorithm the platform lacks
   */
  public static String hex(String algorithm, String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalArgumentException("no " + algorithm + " on this platform", e);
    }
  }

  /**
   * {@link ReferenceKey#bucket()} from a key hash (its first 31 bits), for rows that carry only the
   * hash.
   *
   * @param keyHash a stored key hash
   * @return the bucket, or -1 when it is not a key hash
   */
  public static int bucketOf(String keyHash) {
    if (keyHash.length() != 64) {
      return -1;
    }
    try {
      return (int) (Long.parseLong(keyHash, 0, 8, 16) & 0x7fffffffL);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Whether a text is a key hash: 64 lower-case hex digits.
   *
   * @param text the text
   * @return whether it is one
   */
  public static boolean isKeyHash(String text) {
    return text.length() == 64
        && text.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }
}
