package dev.beckon.internal.model;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The text rules of every value Beckon reads or holds in a reference: strings are well-formed
 * UTF-16 (no lone surrogate, so their UTF-8 bytes are exact and distinct strings stay distinct in
 * every store and hash); ids that go into store keys or URLs are also not longer than {@value
 * #MAX_ID_LENGTH} characters and contain no NUL character (PostgreSQL text cannot hold one). Each
 * check answers the problem in words, or {@code null} when there is none, so callers raise their
 * own documented exception naming the field.
 */
public final class TextRules {

  /** Longest id accepted, in UTF-16 code units ({@code ReferenceKey.MAX_ID_LENGTH} is this). */
  public static final int MAX_ID_LENGTH = 4096;

  private TextRules() {}

  /**
   * What is wrong with a string as Unicode text.
   *
   * @param s the string
   * @return e.g. {@code "is not well-formed UTF-16: a lone surrogate U+D800 at index 3"}, or {@code
   *     null} when it is well-formed
   */
  public static @Nullable String textProblem(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return lone(c, i);
      }
      if (Character.isLowSurrogate(c)) {
        return lone(c, i);
      }
    }
    return null;
  }

  /**
   * What is wrong with an id (a channel, conversation, activity, account or tenant id).
   *
   * @param s the id, or {@code null}
   * @param required whether it must be present and not blank
   * @return the problem, or {@code null} when the id is acceptable
   */
  public static @Nullable String idProblem(@Nullable String s, boolean required) {
    if (s == null) {
      return required ? "is required but was null" : null;
    }
    if (required && s.isBlank()) {
      return "must not be blank";
    }
    if (s.length() > MAX_ID_LENGTH) {
      return "is " + s.length() + " characters long; the limit is " + MAX_ID_LENGTH;
    }
    int nul = s.indexOf('\0');
    if (nul >= 0) {
      return "contains a NUL character (U+0000) at index " + nul;
    }
    return textProblem(s);
  }

  /**
   * Refuses a string that is not well-formed UTF-16.
   *
   * @param s the string, or {@code null} (accepted)
   * @param field the field name for the message
   * @throws IllegalArgumentException naming the field
   */
  public static void requireText(@Nullable String s, String field) {
    String problem = s == null ? null : textProblem(s);
    if (problem != null) {
      throw new IllegalArgumentException(field + " " + problem);
    }
  }

  /**
   * Refuses an unacceptable id.
   *
   * @param s the id, or {@code null}
   * @param field the field name for the message
   * @param required whether it must be present and not blank
   * @throws IllegalArgumentException naming the field
   */
  public static void requireId(@Nullable String s, String field, boolean required) {
    String problem = idProblem(s, required);
    if (problem != null) {
      throw new IllegalArgumentException(field + " " + problem);
    }
  }

  private static String lone(char c, int index) {
    return "is not well-formed UTF-16: a lone surrogate U+"
        + Integer.toHexString(c).toUpperCase(Locale.ROOT)
        + " at index "
        + index;
  }
}
