package dev.beckon.auth;

import dev.beckon.reference.ServiceUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where the bot's token may go. A stored reference's {@code serviceUrl} is just data — a forged
 * reference could point anywhere — so a send is allowed only to hosts on this list, decided from
 * the URL alone (no in-memory "trusted URL" table to lose on restart). Loopback hosts are allowed
 * only for senders without credentials (Emulator, local tests), or when named exactly (tests of
 * authenticated sends against a local fake connector).
 *
 * <pre>{@code
 * TrustPolicy.publicCloud().withTrustedHost("*.mycompany-connector.example")
 * }</pre>
 *
 * <p>The presets trust only hosts that Microsoft alone controls, because the token is a credential
 * of the bot: whoever receives it can act as the bot.
 *
 * <ul>
 *   <li>{@link #publicCloud()}: {@code *.botframework.com}, exactly {@code
 *       smba.trafficmanager.net}, {@code *.teams.microsoft.com}. Never {@code
 *       *.trafficmanager.net}: any Azure customer can create a Traffic Manager profile {@code
 *       <name>.trafficmanager.net}, so that wildcard would hand the token to a stranger. Only the
 *       {@code smba} profile is Microsoft's.
 *   <li>{@link #usGovernment()}: the public hosts (GCC tenants use {@code *.teams.microsoft.com})
 *       plus {@code *.botframework.us}, {@code *.botframework.azure.us} and {@code
 *       *.teams.microsoft.us} (GCC High, DoD).
 *   <li>{@link #china()}: {@code *.botframework.azure.cn} (Azure operated by 21Vianet).
 * </ul>
 *
 * <p>Every decision first applies the one serviceUrl rule of {@link ServiceUrl} (https, or http
 * only to loopback; no user info, query or fragment); hosts are then compared in ASCII after
 * IDN-to-ASCII, lower-cased in {@link Locale#ROOT}, so no Unicode folding can make {@code
 * smba.traffıcmanager.net} (U+0131) or {@code ſmba.trafficmanager.net} (U+017F) match.
 *
 * <p>Patterns: an exact host ({@code smba.trafficmanager.net}) or a wildcard suffix ({@code
 * *.botframework.com}, which also matches {@code botframework.com}), each normalised to ASCII lower
 * case like the hosts they are compared with; a loopback host trusted by name for authenticated
 * sends to a local fake connector: {@code 127.0.0.1}, {@code localhost}, {@code [::1]}.
 *
 * @param trustedHosts the patterns
 */
public record TrustPolicy(List<String> trustedHosts) {

  /**
   * Validates and normalises the patterns.
   *
   * @param trustedHosts the patterns
   * @throws IllegalArgumentException when a pattern is not a host name or {@code *.suffix}
   */
  public TrustPolicy {
    List<String> out = new ArrayList<>();
    for (String p : Objects.requireNonNull(trustedHosts, "trustedHosts")) {
      if (p == null
          || p.isBlank()
          || p.contains("/")
          || (p.contains(":") && !p.startsWith("["))
          || p.contains("@")) {
        throw new IllegalArgumentException(
            "a trusted host is a host name or *.suffix, not '" + p + "'");
      }
      boolean wildcard = p.startsWith("*.");
      String host = wildcard ? p.substring(2) : p;
      try {
        out.add((wildcard ? "*." : "") + ServiceUrl.asciiHost(host));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "a trusted host is a host name or *.suffix, not '" + p + "': " + e.getMessage(), e);
      }
    }
    trustedHosts = List.copyOf(out);
  }

  /**
   * The public cloud's Bot Framework and Teams hosts: {@code *.botframework.com}, exactly {@code
   * smba.trafficmanager.net}, {@code *.teams.microsoft.com}.
   *
   * @return the policy
   */
  public static TrustPolicy publicCloud() {
    return Cloud.PUBLIC.trustPolicy();
  }

  /**
   * US Government hosts (GCC High, DoD: {@code *.botframework.us}, {@code *.botframework.azure.us},
   * {@code *.teams.microsoft.us}) and the public ones, which GCC tenants also use.
   *
   * @return the policy
   */
  public static TrustPolicy usGovernment() {
    List<String> all = new ArrayList<>(PUBLIC);
    all.addAll(List.of("*.botframework.us", "*.botframework.azure.us", "*.teams.microsoft.us"));
    return new TrustPolicy(all);
  }

  /**
   * Azure China (21Vianet) hosts: {@code *.botframework.azure.cn}.
   *
   * @return the policy
   */
  public static TrustPolicy china() {
    return new TrustPolicy(List.of("*.botframework.azure.cn"));
  }

  /**
   * The hosts of a cloud, exactly: {@code TrustPolicy.of(Cloud.US_GOV)} trusts {@code
   * *.botframework.us}, {@code *.botframework.azure.us} and {@code *.teams.microsoft.us} only
   * (unlike {@link #usGovernment()}, which adds the public hosts).
   *
   * @param cloud the cloud
   * @return the policy
   */
  public static TrustPolicy of(Cloud cloud) {
    return Objects.requireNonNull(cloud, "cloud").trustPolicy();
  }

  private static final List<String> PUBLIC =
      List.of("*.botframework.com", "smba.trafficmanager.net", "*.teams.microsoft.com");

  // Cloud.PUBLIC holds the same list; both are checked equal by CloudTest

  /**
   * A copy that also trusts a host.
   *
   * @param pattern a host or {@code *.suffix}
   * @return the copy
   * @throws IllegalArgumentException when the pattern is not a host name or {@code *.suffix}
   */
  public TrustPolicy withTrustedHost(String pattern) {
    List<String> all = new ArrayList<>(trustedHosts);
    all.add(pattern);
    return new TrustPolicy(all);
  }

  /**
   * Why a service URL may not receive a request, or {@code null} when it may.
   *
   * @param serviceUrl the reference's service URL
   * @param anonymous whether the sender has no credentials
   * @return the refusal, naming the host and how to trust it, or {@code null}
   */
  public @Nullable String refusal(String serviceUrl, boolean anonymous) {
    ServiceUrl url;
    try {
      url = ServiceUrl.parse(serviceUrl);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    return refusal(url, anonymous);
  }

  /**
   * Why a validated service URL may not receive a request, or {@code null} when it may.
   *
   * @param url the endpoint
   * @param anonymous whether the sender has no credentials
   * @return the refusal, naming the host and how to trust it, or {@code null}
   */
  public @Nullable String refusal(ServiceUrl url, boolean anonymous) {
    String host = url.host();
    if (url.isLoopback()) {
      return anonymous || trustedHosts.contains(host)
          ? null
          : "host "
              + host
              + " is a loopback address: only a "
              + "sender without credentials (anonymous, for the Emulator and tests) may send there, unless the host is "
              + "trusted explicitly with withTrustedHost(\""
              + host
              + "\")";
    }
    if (!url.scheme().equals("https")) {
      return "host " + host + " must be reached over https";
    }
    for (String p : trustedHosts) {
      if (p.startsWith("*.")
          ? host.equals(p.substring(2)) || host.endsWith(p.substring(1))
          : host.equals(p)) {
        return null;
      }
    }
    return "host "
        + host
        + " is not a trusted Bot Framework host; if it is yours, trust it with "
        + "TrustPolicy.publicCloud().withTrustedHost(\""
        + host
        + "\")";
  }
}
