package dev.beckon.internal.send;

import dev.beckon.reference.ServiceUrl;
import java.nio.charset.StandardCharsets;

/**
 * Builds Bot Connector URLs: the canonical {@link ServiceUrl} (validated: no query, fragment or
 * user info; ASCII host; no trailing slash) + {@code /v3/…}, ids fully encoded.
 */
public final class ConnectorUrls {

  private ConnectorUrls() {}

  /**
   * The base of every call.
   *
   * @param serviceUrl the reference's validated service URL
   * @return its canonical form + {@code /v3/conversations}
   */
  public static String conversations(ServiceUrl serviceUrl) {
    return serviceUrl + "/v3/conversations";
  }

  /**
   * Percent-encodes a path segment: everything but {@code A-Z a-z 0-9 - . _ ~} (so {@code : ; @ = /
   * ? # % |} and non-ASCII are encoded, as .NET and JS do).
   *
   * @param id the id
   * @return the encoded segment
   */
  public static String segment(String id) {
    byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }
}
