package dev.beckon.reference;

import java.net.IDN;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A Bot Connector endpoint that passed Beckon's one serviceUrl rule: the only form in which a
 * {@code serviceUrl} is captured, read, imported, stored or sent to. Every path applies this class
 * — {@link ConversationReference}'s constructor (so capture, {@code ReferenceJson}, {@code
 * ResumptionCookies}, {@code CompactReference}, CLI import and the builder), the inbound {@code
 * serviceurl} claim check, the {@code TrustPolicy} and the URLs the sender builds.
 *
 * <p>The rule:
 *
 * <ul>
 *   <li>an absolute {@code https} URL, or {@code http} only to a loopback host (whether a given
 *       sender may use it is then the {@code TrustPolicy}'s decision: anonymous senders only,
 *       unless the host is trusted by name);
 *   <li>a host is required; no user info ({@code user:password@}), no query ({@code ?…}, even
 *       empty), no fragment ({@code #…}, even empty); a port, when given, is 1 to 65535; at most
 *       2,048 characters; no whitespace or control characters; anything but the host is ASCII
 *       (percent-encode the path); no empty path segment ({@code //}) but trailing slashes, which
 *       are dropped;
 *   <li>the host is compared in ASCII: each label goes through {@link IDN#toASCII(String, int)}
 *       with {@link IDN#USE_STD3_ASCII_RULES} (letters, digits, hyphens; a host IDN rejects is
 *       refused) and is lower-cased in {@link Locale#ROOT}. A non-ASCII label must already be in
 *       the form IDNA maps it to: a label that IDNA would fold into another one ({@code ſ} U+017F
 *       to {@code s}, full-width letters, {@code K} U+212A, invisible U+200B…) is refused, so no
 *       Unicode folding can ever make a host equal a trusted one. {@code ı} (U+0131) stays a
 *       different host ({@code xn--…}), never {@code i};
 *   <li>a host ending in a dot ({@code smba.trafficmanager.net.}) is refused, not normalised: it
 *       names the same DNS host, but certificate checks and allow-lists treat it inconsistently,
 *       and no channel sends one;
 *   <li>loopback means exactly: {@code localhost}, a dotted-quad IPv4 literal in 127.0.0.0/8 (four
 *       decimal octets 0 to 255 without leading zeros), or the IPv6 address {@code ::1} ({@code
 *       [::1]}). {@code 127.evil.example}, {@code 127.0.0.1.nip.io}, {@code localhost.evil.com},
 *       {@code 0x7f.1} and {@code 2130706433} are DNS names, not loopback.
 * </ul>
 *
 * <p>The canonical form ({@link #toString()}) is {@code scheme://ascii-host[:port]path} with the
 * default port and trailing slashes dropped: the sender appends {@code /v3/conversations…} to it,
 * so what a reference says is exactly where the request goes. A reference keeps the serviceUrl it
 * arrived with verbatim (it is data that round-trips); the canonical form is what Beckon compares
 * and connects to.
 *
 * <pre>{@code
 * ServiceUrl url = ServiceUrl.parse("https://smba.trafficmanager.net/amer/");
 * url.host();      // "smba.trafficmanager.net"
 * url.toString();  // "https://smba.trafficmanager.net/amer"
 * }</pre>
 *
 * <p>Immutable and thread-safe; equal when the canonical forms are equal.
 */
public final class ServiceUrl {

  /** The longest serviceUrl accepted, in characters. */
  public static final int MAX_LENGTH = 2048;

  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])";
  private static final Pattern IPV4 =
      Pattern.compile(OCTET + "\\." + OCTET + "\\." + OCTET + "\\." + OCTET);

  private final String scheme;
  private final String host;
  private final int port;
  private final String path;
  private final boolean loopback;

  private ServiceUrl(String scheme, String host, int port, String path, boolean loopback) {
    this.scheme = scheme;
    this.host = host;
    this.port = port;
    this.path = path;
    this.loopback = loopback;
  }

  /**
   * Applies the rule.
   *
   * @param value a serviceUrl as received or stored
   * @return the validated endpoint
   * @throws IllegalArgumentException naming {@code serviceUrl} and what is wrong with it (never
   *     echoing user info)
   */
  public static ServiceUrl parse(@Nullable String value) {
    Object r = check(value);
    if (r instanceof String problem) {
      throw new IllegalArgumentException("serviceUrl " + problem);
    }
    return (ServiceUrl) r;
  }

  /**
   * What is wrong with a value under the rule, for a decoder that names the field itself.
   *
   * @param value a serviceUrl as received or stored
   * @return the problem in words (never echoing user info), or {@code null} when {@link #parse}
   *     accepts the value
   */
  public static @Nullable String problem(@Nullable String value) {
    return check(value) instanceof String problem ? problem : null;
  }

  /**
   * The host rule on its own: a host name or IP literal in the ASCII, lower-case form Beckon
   * compares (for allow-list patterns).
   *
   * @param host a host, e.g. {@code Smba.TrafficManager.net} or {@code bücher.example}
   * @return the ASCII form, e.g. {@code smba.trafficmanager.net} or {@code xn--bcher-kva.example}
   * @throws IllegalArgumentException when it is not a usable host
   */
  public static String asciiHost(String host) {
    Object r = asciiHostOrProblem(Objects.requireNonNull(host, "host"));
    if (r instanceof Problem p) {
      throw new IllegalArgumentException("host " + p.text);
    }
    return (String) r;
  }

  /**
   * Whether a host (in the form {@link #asciiHost} returns) is loopback: {@code localhost}, {@code
   * 127.x.y.z} as a dotted-quad literal, or {@code [::1]}.
   *
   * @param asciiHost the host
   * @return whether it is loopback
   */
  public static boolean isLoopbackHost(String asciiHost) {
    if (asciiHost.equals("localhost")) {
      return true;
    }
    if (asciiHost.startsWith("[") && asciiHost.endsWith("]")) {
      String literal = asciiHost.substring(1, asciiHost.length() - 1);
      if (!literal.contains(":") || !literal.matches("[0-9a-f:.]+")) {
        return false;
      }
      try {
        // a literal with ':' is parsed, never looked up
        InetAddress a = InetAddress.getByName(literal);
        return a instanceof Inet6Address && a.isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return IPV4.matcher(asciiHost).matches() && asciiHost.startsWith("127.");
  }

  private record Problem(String text) {}

  /**
   * Values the rule accepted, so that the few service URLs a bot sees are parsed once (reading a
   * reference and sending to it both check it: about 5 µs of URI parsing and IDN each time). At
   * most {@link #CACHE_SIZE} entries, then it starts over: an attacker can only fill it with
   * accepted values, and only evict, never change, a verdict.
   */
  private static final ConcurrentHashMap<String, ServiceUrl> ACCEPTED = new ConcurrentHashMap<>();

  private static final int CACHE_SIZE = 1024;

  /** A ServiceUrl, or the problem as a String. */
  private static Object check(@Nullable String value) {
    ServiceUrl known = value == null ? null : ACCEPTED.get(value);
    if (known != null) {
      return known;
    }
    Object r = checkUncached(value);
    if (r instanceof ServiceUrl url && value != null) {
      if (ACCEPTED.size() >= CACHE_SIZE) {
        ACCEPTED.clear();
      }
      ACCEPTED.put(value, url);
    }
    return r;
  }

  private static Object checkUncached(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return "is required and must not be blank";
    }
    if (value.length() > MAX_LENGTH) {
      return "is " + value.length() + " characters long; the limit is " + MAX_LENGTH;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20
          || c == 0x7f
          || Character.isWhitespace(c)
          || Character.isISOControl(c)
          || Character.isSpaceChar(c)) {
        return "must not contain whitespace or control characters";
      }
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      return "is not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http"))
        || uri.isOpaque()
        || uri.getRawAuthority() == null) {
      return "must be an absolute https URL with a host (http only to a loopback host)";
    }
    String authority = uri.getRawAuthority();
    if (uri.getRawUserInfo() != null || authority.contains("@")) {
      return "must not contain user info (user:password@)";
    }
    if (uri.getRawQuery() != null) {
      return "must not have a query ('?'): the sender appends /v3/conversations to it";
    }
    if (uri.getRawFragment() != null) {
      return "must not have a fragment ('#'): the sender appends /v3/conversations to it";
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) > 0x7e) {
        return "path must be ASCII (percent-encode it)";
      }
    }
    String hostPart;
    String portPart = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0 || uri.getHost() == null) {
        return "has an invalid IPv6 host";
      }
      hostPart = authority.substring(0, close + 1);
      String rest = authority.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          return "has an invalid IPv6 host";
        }
        portPart = rest.substring(1);
      }
    } else {
      int colon = authority.lastIndexOf(':');
      hostPart = colon < 0 ? authority : authority.substring(0, colon);
      portPart = colon < 0 ? null : authority.substring(colon + 1);
    }
    int port = -1;
    if (portPart != null) {
      if (!portPart.matches("[0-9]{1,5}")
          || Integer.parseInt(portPart) < 1
          || Integer.parseInt(portPart) > 65535) {
        return "has an invalid port (1 to 65535)";
      }
      port = Integer.parseInt(portPart);
      if ((scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80)) {
        port = -1;
      }
    }
    Object h = asciiHostOrProblem(hostPart);
    if (h instanceof Problem p) {
      return "host " + p.text;
    }
    String host = (String) h;
    boolean loopback = isLoopbackHost(host);
    if (scheme.equals("http") && !loopback) {
      return "must use https for host "
          + host
          + " (http only to a loopback host: localhost, 127.x.y.z, [::1])";
    }
    int end = path.length();
    while (end > 0 && path.charAt(end - 1) == '/') {
      end--;
    }
    if (path.substring(0, end).contains("//")) {
      return "path must not contain an empty segment ('//')";
    }
    ServiceUrl url = new ServiceUrl(scheme, host, port, path.substring(0, end), loopback);
    // the HTTP client reads the canonical form with java.net.URI: it must see this very host
    try {
      URI canonical = new URI(url.toString());
      if (canonical.getHost() == null
          || !canonical.getHost().toLowerCase(Locale.ROOT).equals(host)) {
        return "host "
            + host
            + " is not a host name a URL client accepts (the last label must start with a "
            + "letter, or the host be a dotted-quad IPv4 or bracketed IPv6 literal)";
      }
    } catch (URISyntaxException e) {
      return "is not a valid URL (" + e.getReason() + ")";
    }
    return url;
  }

  /** The ASCII host, or a Problem. */
  private static Object asciiHostOrProblem(String host) {
    if (host.isEmpty()) {
      return new Problem("is required");
    }
    if (host.startsWith("[")) {
      String lower = host.toLowerCase(Locale.ROOT);
      if (!lower.endsWith("]")
          || !lower.substring(1, lower.length() - 1).matches("[0-9a-f:.]+")
          || !lower.contains(":")) {
        return new Problem("is not a valid IPv6 literal");
      }
      try {
        new URI("https://" + lower + "/").parseServerAuthority();
      } catch (URISyntaxException e) {
        return new Problem("is not a valid IPv6 literal");
      }
      return lower;
    }
    if (host.endsWith(".")) {
      return new Problem("must not end with '.' (write it without the trailing dot)");
    }
    if (host.contains("%")) {
      return new Problem("must not be percent-encoded");
    }
    if (host.length() > 253) {
      return new Problem("is longer than 253 characters");
    }
    StringBuilder out = new StringBuilder(host.length());
    for (String label : host.split("\\.", -1)) {
      if (label.isEmpty()) {
        return new Problem("has an empty label");
      }
      String ascii;
      try {
        ascii = IDN.toASCII(label, IDN.USE_STD3_ASCII_RULES);
      } catch (IllegalArgumentException e) {
        return new Problem("is not a valid host name (" + e.getMessage() + ")");
      }
      boolean nonAscii = label.chars().anyMatch(c -> c > 0x7f);
      if (nonAscii
          && (!ascii.startsWith("xn--")
              || !IDN.toUnicode(ascii, IDN.USE_STD3_ASCII_RULES).equals(label))) {
        return new Problem(
            "has a label that Unicode normalisation would change into '"
                + IDN.toUnicode(ascii)
                + "': write the host in its canonical form");
      }
      if (ascii.isEmpty()) {
        return new Problem("has an empty label");
      }
      out.append(out.length() == 0 ? "" : ".").append(ascii.toLowerCase(Locale.ROOT));
    }
    if (out.length() > 253) {
      // measured on the ASCII form, the one compared and sent: IDN labels grow as xn--…
      return new Problem("is longer than 253 characters in its ASCII (IDN) form");
    }
    return out.toString();
  }

  /**
   * The scheme.
   *
   * @return {@code https} or {@code http} (loopback only)
   */
  public String scheme() {
    return scheme;
  }

  /**
   * The host in ASCII, lower case (IDN labels as {@code xn--…}, IPv6 in brackets).
   *
   * @return the host
   */
  public String host() {
    return host;
  }

  /**
   * The port.
   *
   * @return the port, or {@code -1} for the scheme's default
   */
  public int port() {
    return port;
  }

  /**
   * The path without trailing slashes, as received (percent-encoded ASCII).
   *
   * @return e.g. {@code /amer}, or empty
   */
  public String path() {
    return path;
  }

  /**
   * Whether the host is loopback (see the class description for exactly what that means).
   *
   * @return whether the host is loopback
   */
  public boolean isLoopback() {
    return loopback;
  }

  /**
   * Whether two serviceUrls name the same endpoint as the Bot Framework compares them: equal
   * scheme, host and port, and paths equal ignoring ASCII case (paths are ASCII).
   *
   * @param other the other endpoint
   * @return whether they are the same endpoint
   */
  public boolean sameEndpoint(ServiceUrl other) {
    return scheme.equals(other.scheme)
        && host.equals(other.host)
        && port == other.port
        && path.toLowerCase(Locale.ROOT).equals(other.path.toLowerCase(Locale.ROOT));
  }

  /**
   * The canonical form.
   *
   * @return {@code scheme://host[:port]path}, without a trailing slash
   */
  @Override
  public String toString() {
    return scheme + "://" + host + (port == -1 ? "" : ":" + port) + path;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ServiceUrl s && s.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
