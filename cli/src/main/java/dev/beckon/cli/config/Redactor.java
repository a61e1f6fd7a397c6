package dev.beckon.cli.config;

import dev.beckon.store.spi.StoreProvider;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Hides secrets in text that is about to be printed or logged: the one redaction of the examples
 * and the {@code beckon} CLI, applied to store URIs, to exception messages (of causes too) and to
 * every line the CLI writes to standard output and standard error, library log lines included.
 *
 * <p>Two rules, both always applied:
 *
 * <ol>
 *   <li><b>By pattern</b>, in any text: the password of a URI's userinfo ({@code
 *       scheme://user:***@host}) and the value of a secret parameter ({@code password=}, {@code
 *       pwd=}, {@code passwd=}, {@code AccountKey=}, {@code SharedAccessSignature=}, {@code
 *       SharedAccessKey=}, {@code sig=}, {@code secret=}, {@code token=}, {@code
 *       aws_secret_access_key=}, {@code aws_session_token=}, {@code secretAccessKey=}, {@code
 *       sessionToken=}, and those the {@linkplain UriProviders#stores() store providers} and
 *       {@linkplain UriProviders#queues() queue providers} on the class path name in {@link
 *       StoreProvider#secretParameters()}; case-insensitive, up to the next {@code ;}, {@code &},
 *       quote, white space or a {@code :} that ends a phrase).
 *   <li><b>By value</b>: every secret found by rule 1 in the {@linkplain #of sources} (the
 *       command's arguments, the app password), raw and URL-decoded, wherever it appears later,
 *       whatever a driver made of the text around it (MariaDB reports a password as a port: {@code
 *       Incorrect port value : ***@127.0.0.1}). Values shorter than {@value #MIN_LITERAL}
 *       characters are hidden by rule 1 only.
 * </ol>
 *
 * Thread-safe and immutable.
 */
public final class Redactor {

  /** What a secret is replaced with. */
  public static final String MASK = "***";

  /** The shortest secret value that is also hidden by value, wherever it appears. */
  public static final int MIN_LITERAL = 4;

  /**
   * The common secret parameter names, and those the store providers on the class path add ({@link
   * StoreProvider#secretParameters()}).
   */
  private static final String SECRET_NAMES =
      "password|pwd|passwd|accountkey|sharedaccesssignature|sharedaccesskey"
          + "|sig|secret|token|aws_secret_access_key|aws_session_token|secretaccesskey|sessiontoken"
          + java.util.stream.Stream.concat(
                  UriProviders.stores().secretParameters(),
                  UriProviders.queues().secretParameters())
              .filter(name -> !name.isBlank())
              .map(name -> "|" + Pattern.quote(name))
              .distinct()
              .collect(Collectors.joining());

  /**
   * {@code name=value}, the name not preceded by a letter or digit (so {@code nosig=} is no
   * secret).
   */
  private static final Pattern PARAMETER =
      Pattern.compile(
          "(?i)(?<![A-Za-z0-9_])("
              + SECRET_NAMES
              + ")(\\s*=\\s*)([^;&\\s\"'<>]*?)(?=[;&\\s\"'<>]|:\\s|:$|$)");

  /**
   * {@code //user:password@}: the password runs to the last {@code @} before a space or a {@code
   * /}.
   */
  private static final Pattern USERINFO = Pattern.compile("//([^/@\\s:]*):([^\\s/]*)@");

  /** A simpler companion: the password runs to the first {@code @}. */
  private static final Pattern USERINFO_FIRST_AT = Pattern.compile("//([^/@\\s:]*):([^@\\s]*)@");

  private static final Redactor PATTERNS_ONLY = new Redactor(List.of());

  private final List<String> literals;

  private Redactor(List<String> literals) {
    this.literals = literals;
  }

  /**
   * A redactor that hides, besides the patterns, every secret value found in the sources.
   *
   * @param sources texts that may hold secrets, e.g. the command's arguments (a source is searched
   *     by the patterns; a bare secret such as an app password goes to {@link #withSecret})
   * @return the redactor
   */
  public static Redactor of(Collection<String> sources) {
    Set<String> found = new LinkedHashSet<>();
    for (String s : sources) {
      if (s == null) {
        continue;
      }
      for (Pattern p : List.of(USERINFO, USERINFO_FIRST_AT)) {
        Matcher m = p.matcher(s);
        while (m.find()) {
          found.add(m.group(2));
        }
      }
      Matcher m = PARAMETER.matcher(s);
      while (m.find()) {
        found.add(m.group(3));
      }
    }
    return PATTERNS_ONLY.withSecrets(found);
  }

  /**
   * The patterns alone (for a text without known sources).
   *
   * @return the redactor
   */
  public static Redactor patterns() {
    return PATTERNS_ONLY;
  }

  /**
   * A copy that also hides this exact value (and its URL-decoded form).
   *
   * @param secret a secret, e.g. an app password; ignored when {@code null} or shorter than {@value
   *     #MIN_LITERAL}
   * @return the copy
   */
  public Redactor withSecret(String secret) {
    return secret == null ? this : withSecrets(List.of(secret));
  }

  private Redactor withSecrets(Collection<String> secrets) {
    Set<String> all = new LinkedHashSet<>(literals);
    for (String s : secrets) {
      all.add(s);
      try {
        all.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        // not URL-encoded: the raw form is enough
      }
    }
    all.removeIf(s -> s.length() < MIN_LITERAL || s.equals(MASK));
    List<String> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    return new Redactor(List.copyOf(sorted));
  }

  /**
   * Hides the secrets in a text.
   *
   * @param text a message, log line or URI ({@code null} gives {@code null})
   * @return the text with every secret replaced by {@value #MASK}
   */
  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String s : literals) {
      if (out.contains(s)) {
        out = out.replace(s, MASK);
      }
    }
    out =
        USERINFO
            .matcher(out)
            .replaceAll(m -> Matcher.quoteReplacement("//" + m.group(1) + ":" + MASK + "@"));
    out =
        USERINFO_FIRST_AT
            .matcher(out)
            .replaceAll(m -> Matcher.quoteReplacement("//" + m.group(1) + ":" + MASK + "@"));
    return PARAMETER
        .matcher(out)
        .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
  }
}
