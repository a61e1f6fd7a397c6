package dev.beckon.auth;

import java.net.URI;
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
 * <p>Patterns: an exact host ({@code smba.trafficmanager.net}) or a wildcard suffix
 * ({@code *.botframework.com}, which also matches {@code botframework.com}). HTTPS is required
 * for every host but loopback.
 *
 * @param trustedHosts the patterns
 */
public record TrustPolicy(List<String> trustedHosts) {

  /** Validates and normalises the patterns. */
  public TrustPolicy {
    List<String> out = new ArrayList<>();
    for (String p : Objects.requireNonNull(trustedHosts, "trustedHosts")) {
      if (p == null || p.isBlank() || p.contains("/") || p.contains(":")) {
        throw new IllegalArgumentException("a trusted host is a host name or *.suffix, not '" + p + "'");
      }
      out.add(p.toLowerCase(Locale.ROOT));
    }
    trustedHosts = List.copyOf(out);
  }

  /**
   * The public cloud's Bot Framework and Teams hosts.
   *
   * @return the policy
   */
  public static TrustPolicy publicCloud() {
    return new TrustPolicy(List.of("*.botframework.com", "smba.trafficmanager.net", "*.trafficmanager.net",
        "*.teams.microsoft.com"));
  }

  /**
   * US Government hosts (and the public ones, which GCC tenants also use).
   *
   * @return the policy
   */
  public static TrustPolicy usGovernment() {
    return new TrustPolicy(List.of("*.botframework.com", "smba.trafficmanager.net", "*.trafficmanager.net",
        "*.teams.microsoft.com", "*.teams.microsoft.us", "*.botframework.azure.us", "*.botframework.us"));
  }

  /**
   * A copy that also trusts a host.
   *
   * @param pattern a host or {@code *.suffix}
   * @return the copy
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
    URI uri;
    try {
      uri = URI.create(serviceUrl.trim());
    } catch (IllegalArgumentException e) {
      return "serviceUrl is not a valid URL";
    }
    String host = uri.getHost();
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (host == null || !(scheme.equals("https") || scheme.equals("http"))) {
      return "serviceUrl must be an http(s) URL with a host";
    }
    host = host.toLowerCase(Locale.ROOT);
    if (isLoopback(host)) {
      return anonymous || trustedHosts.contains(host) ? null : "host " + host + " is a loopback address: only a "
          + "sender without credentials (anonymous, for the Emulator and tests) may send there, unless the host is "
          + "trusted explicitly with withTrustedHost(\"" + host + "\")";
    }
    if (!scheme.equals("https")) {
      return "host " + host + " must be reached over https";
    }
    for (String p : trustedHosts) {
      if (p.startsWith("*.") ? host.equals(p.substring(2)) || host.endsWith(p.substring(1)) : host.equals(p)) {
        return null;
      }
    }
    return "host " + host + " is not a trusted Bot Framework host; if it is yours, trust it with "
        + "TrustPolicy.publicCloud().withTrustedHost(\"" + host + "\")";
  }

  static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
  }
}
