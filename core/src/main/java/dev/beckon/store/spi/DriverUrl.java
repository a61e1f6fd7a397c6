package dev.beckon.store.spi;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A driver's URL (a JDBC URL, say), which {@link java.net.URI} may not parse, split for a {@link
 * StoreProvider} that hands the URL to a driver and the credentials apart: most drivers take no
 * userinfo ({@code //user:password@host}), and a URL is printed.
 *
 * <pre>{@code
 * DriverUrl u = DriverUrl.parse("jdbc:mariadb://app:s%40cret@127.0.0.1:3306/db?useSsl=true");
 * u.url();         // "jdbc:mariadb://127.0.0.1:3306/db?useSsl=true"
 * u.user();        // "app"
 * u.password();    // "s@cret"
 * u.printable();   // "jdbc:mariadb://127.0.0.1:3306/db"
 * }</pre>
 *
 * @param url the URL without its userinfo
 * @param user the userinfo's user, %-decoded, or {@code null} when the URL has no userinfo
 * @param password the userinfo's password, %-decoded, or {@code null} when it has none
 */
public record DriverUrl(String url, @Nullable String user, @Nullable String password) {

  /** {@code scheme:driver://user:password@}, the userinfo of the first authority. */
  private static final Pattern USERINFO = Pattern.compile("^([^/]*//)([^/@?;]*)@");

  /** {@code //host:port}, the authority most driver URLs share (userinfo skipped). */
  private static final Pattern AUTHORITY_PORT =
      Pattern.compile("//(?:[^/@?;]*@)?(\\[[^\\]]*\\]|[^:/?;,\\[]*):(\\d+)");

  /**
   * Splits a URL, and checks the port of its authority if it has one.
   *
   * @param text the URL as the user gave it
   * @return the URL without its userinfo, and the credentials
   * @throws IllegalArgumentException when the authority's port is not 1..65535 (the message quotes
   *     the URL without its userinfo)
   */
  public static DriverUrl parse(String text) {
    String url = text;
    String user = null;
    String password = null;
    Matcher u = USERINFO.matcher(url);
    if (u.find()) {
      String info = u.group(2);
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? null : decode(info.substring(colon + 1));
      url = u.group(1) + url.substring(u.end());
    }
    Matcher m = AUTHORITY_PORT.matcher(url);
    if (m.find()) {
      String port = m.group(2);
      if (port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
        throw new IllegalArgumentException("the port in " + url + " must be 1..65535, not " + port);
      }
    }
    return new DriverUrl(url, user, password);
  }

  /**
   * The URL without its parameters ({@code ?...}, {@code ;...}), which may hold a password: what a
   * description may show.
   *
   * @return e.g. {@code jdbc:mariadb://127.0.0.1:3306/db}
   */
  public String printable() {
    int cut = url.length();
    for (char c : new char[] {'?', ';'}) {
      int i = url.indexOf(c);
      cut = i < 0 ? cut : Math.min(cut, i);
    }
    return url.substring(0, cut);
  }

  /**
   * The {@link #printable()} URL: never the credentials or the parameters.
   *
   * @return the printable URL
   */
  @Override
  public String toString() {
    return printable();
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
