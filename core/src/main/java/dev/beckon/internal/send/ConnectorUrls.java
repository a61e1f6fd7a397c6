package dev.beckon.internal.send;

import java.nio.charset.StandardCharsets;

/** Builds Bot Connector URLs: serviceUrl without trailing slashes + {@code /v3/…}, ids fully encoded. */
public final class ConnectorUrls {

  private ConnectorUrls() {}

  /**
   * The base of every call.
   *
   * @param serviceUrl the reference's service URL, with or without trailing slashes
   * @return {@code serviceUrl} without trailing slashes + {@code /v3/conversations}
   */
  public static String conversations(String serviceUrl) {
    String s = serviceUrl.trim();
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(0, end) + "/v3/conversations";
  }

  /**
   * Percent-encodes a path segment: everything but {@code A-Z a-z 0-9 - . _ ~} (so {@code : ; @ =
   * / ? # % |} and non-ASCII are encoded, as .NET and JS do).
   *
   * @param id the id
   * @return the encoded segment
   */
  public static String segment(String id) {
    byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }
}
