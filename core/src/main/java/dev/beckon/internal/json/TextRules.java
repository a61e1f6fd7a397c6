package dev.beckon.internal.json;

/**
 * The UTF-8 size of JSON text, for the bounds Beckon puts on documents it stores and responses it
 * reads. The text rules of the model's values are in {@link dev.beckon.internal.model.TextRules}.
 */
public final class TextRules {

  private TextRules() {}

  /**
   * The UTF-8 length of a string, counted no further than just past {@code limit}.
   *
   * @param s the text
   * @param limit where counting may stop
   * @return the exact byte length when it is at most {@code limit}, else some value above it
   */
  public static long utf8Length(String s, long limit) {
    if (s.length() > limit) {
      return s.length(); // every char is at least one byte
    }
    long n = 0;
    for (int i = 0; i < s.length() && n <= limit; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
