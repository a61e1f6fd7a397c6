package dev.beckon.storage.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The opaque keyset cursor of {@link JdbcReferenceRepository}: the key hash of the last row of a
 * page, bound to its table and query by a fingerprint. Wire form: URL-safe Base64 (no padding) of
 * {@code "bj1:" + 16 hex fingerprint + ":" + 64 hex key hash}. Anything else is refused with {@link
 * IllegalArgumentException}, so a cursor never reaches SQL unvalidated (and it is a bound parameter
 * anyway).
 *
 * @param fingerprint the fingerprint of the table and query
 * @param afterKeyHash the last key hash returned: the next page starts strictly after it
 */
record ListCursor(String fingerprint, String afterKeyHash) {

  private static final Pattern FORM = Pattern.compile("bj1:([0-9a-f]{16}):([0-9a-f]{64})");

  /**
   * Checks the parts.
   *
   * @param fingerprint the fingerprint of the table and query
   * @param afterKeyHash the last key hash returned: the next page starts strictly after it
   */
  ListCursor {
    if (!FORM.matcher("bj1:" + fingerprint + ":" + afterKeyHash).matches()) {
      throw new IllegalArgumentException("malformed cursor parts");
    }
  }

  String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(
            ("bj1:" + fingerprint + ":" + afterKeyHash).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Decodes a cursor for a query.
   *
   * @param text the cursor text
   * @param expectedFingerprint the fingerprint of the query
   * @return the cursor
   * @throws IllegalArgumentException when it is not a cursor of this store for this query
   */
  static ListCursor decode(String text, String expectedFingerprint) {
    String plain;
    try {
      plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException e) {
      throw invalid("it is not a cursor of this store");
    }
    Matcher m = FORM.matcher(plain);
    if (!m.matches()) {
      throw invalid("it is not a cursor of this store");
    }
    if (!m.group(1).equals(expectedFingerprint)) {
      throw invalid(
          "it belongs to another table or another query (channel, tenant or segment differ)");
    }
    return new ListCursor(m.group(1), m.group(2));
  }

  /**
   * The fingerprint binding a cursor to its table and query.
   *
   * @param parts table, filters and segment, in a fixed order
   * @return 16 hex characters of their SHA-256
   */
  static String fingerprint(@Nullable Object... parts) {
    StringBuilder sb = new StringBuilder();
    for (Object p : parts) {
      String s = String.valueOf(p);
      sb.append(p == null ? -1 : s.length()).append(':').append(s).append('|');
    }
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  private static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException(
        "Invalid listing cursor for the JDBC reference store: "
            + why
            + ". Pass back exactly the cursor of the previous page of the same query.");
  }
}
