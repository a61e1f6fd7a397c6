package dev.beckon.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import dev.beckon.internal.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The signing keys published behind one OpenID configuration: fetched on first use, trusted for
 * {@code cacheTime}, refreshed at most once per {@code unknownKidInterval} when a token names a key
 * not in the cache. Keeps each key's Bot Framework {@code endorsements}. Thread-safe.
 *
 * <p>Everything it fetches is bounded: {@link #MAX_DOCUMENT_BYTES} per document, a key set URL that
 * is {@code https} (or {@code http} to a loopback literal, for local fakes), and after a failed
 * fetch no new fetch for {@link #FAILURE_BACKOFF}: without that, every forged token naming a {@code
 * kid} made an unauthenticated caller start a fetch that held this lock for up to the fetch timeout
 * while the metadata host was unreachable.
 */
final class SigningKeys {

  /**
   * A published key and the channels that endorse it.
   *
   * @param jwk the public RSA key as published (its {@code kid}, {@code use}, {@code alg})
   * @param endorsements the channels that endorse it (empty: none, or no list published)
   * @param hasEndorsements whether an endorsement list was published
   */
  public record Key(RSAKey jwk, Set<String> endorsements, boolean hasEndorsements) {}

  private final URI metadata;
  private final HttpClient http;
  private final Duration timeout;
  private final Duration cacheTime;
  private final Duration unknownKidInterval;
  private final Clock clock;
  private final @Nullable String expectedIssuer;
  private final boolean keySetOnSameHost;
  private Map<String, Key> keys = Map.of();
  private @Nullable Instant fetchedAt;
  private @Nullable Instant failedAt;
  private @Nullable AuthenticationException lastFailure;
  private int fetches;
  private int attempts;

  /** The largest OpenID configuration or key set read. */
  public static final int MAX_DOCUMENT_BYTES = 1 << 20;

  /** How long after a failed fetch requests are refused without fetching again. */
  public static final Duration FAILURE_BACKOFF = Duration.ofSeconds(10);

  /**
   * Creates the cache.
   *
   * @param metadata the OpenID configuration URL
   * @param http the client to fetch with
   * @param timeout per request
   * @param cacheTime how long keys are trusted
   * @param unknownKidInterval minimum time between refreshes caused by unknown key ids
   * @param clock the clock
   */
  public SigningKeys(
      URI metadata,
      HttpClient http,
      Duration timeout,
      Duration cacheTime,
      Duration unknownKidInterval,
      Clock clock) {
    this(metadata, http, timeout, cacheTime, unknownKidInterval, clock, null, false);
  }

  /**
   * Creates the cache for a discovery document bound to one issuer (Entra ID): the document must
   * name that {@code issuer}, and, when asked, a key set on the document's own scheme, host and
   * port — so its keys come only from the host the configuration named.
   *
   * @param metadata the OpenID configuration URL
   * @param http the client to fetch with
   * @param timeout per request
   * @param cacheTime how long keys are trusted
   * @param unknownKidInterval minimum time between refreshes caused by unknown key ids
   * @param clock the clock
   * @param expectedIssuer the {@code issuer} the document must name, or {@code null} for no check
   * @param keySetOnSameHost whether the key set must be on the document's host
   */
  public SigningKeys(
      URI metadata,
      HttpClient http,
      Duration timeout,
      Duration cacheTime,
      Duration unknownKidInterval,
      Clock clock,
      @Nullable String expectedIssuer,
      boolean keySetOnSameHost) {
    this.expectedIssuer = expectedIssuer;
    this.keySetOnSameHost = keySetOnSameHost;
    this.metadata = metadata;
    this.http = http;
    this.timeout = timeout;
    this.cacheTime = cacheTime;
    this.unknownKidInterval = unknownKidInterval;
    this.clock = clock;
  }

  /**
   * The key with this id.
   *
   * @param kid the key id from the token header
   * @return the key
   * @throws AuthenticationException when no such key is published (after at most one refresh)
   */
  public synchronized Key key(String kid) {
    Instant now = clock.instant();
    if (fetchedAt == null || now.isAfter(fetchedAt.plus(cacheTime))) {
      refreshUnlessBackingOff(now, fetchedAt == null);
    }
    Key k = keys.get(kid);
    if (k == null && fetchedAt != null && !now.isBefore(fetchedAt.plus(unknownKidInterval))) {
      refreshUnlessBackingOff(now, false);
      k = keys.get(kid);
    }
    if (k == null) {
      String shown =
          kid.matches("[A-Za-z0-9_.=+/-]{1,100}") ? kid : "not shown: unusual characters or length";
      throw new AuthenticationException(
          "the token is signed with an unknown key (kid " + shown + ")");
    }
    return k;
  }

  /**
   * How many times keys were fetched (for tests and metrics).
   *
   * @return the count
   */
  public synchronized int fetches() {
    return fetches;
  }

  /**
   * How many fetches were started, successful or not (for tests and metrics).
   *
   * @return the count
   */
  public synchronized int attempts() {
    return attempts;
  }

  /**
   * Refreshes, unless a fetch failed less than {@link #FAILURE_BACKOFF} ago. With no keys at all,
   * that failure is repeated; with keys cached, they stay in use.
   */
  private void refreshUnlessBackingOff(Instant now, boolean mustHaveKeys) {
    AuthenticationException failure = lastFailure;
    if (failedAt != null && failure != null && now.isBefore(failedAt.plus(FAILURE_BACKOFF))) {
      if (mustHaveKeys) {
        throw new AuthenticationException(
            failure.getMessage()
                + " (not fetched again for "
                + FAILURE_BACKOFF.toSeconds()
                + " s)");
      }
      return;
    }
    attempts++;
    try {
      refresh();
      failedAt = null;
      lastFailure = null;
    } catch (AuthenticationException e) {
      failedAt = clock.instant();
      lastFailure = e;
      if (mustHaveKeys || keys.isEmpty()) {
        throw e;
      }
    }
  }

  private void refresh() {
    JsonNode config = get(metadata);
    if (expectedIssuer != null) {
      JsonNode issuer = config.get("issuer");
      if (issuer == null || !issuer.isTextual() || !expectedIssuer.equals(issuer.textValue())) {
        throw new AuthenticationException(
            "OpenID configuration at " + metadata + " is not the expected issuer's: refused");
      }
    }
    JsonNode jwksUri = config.get("jwks_uri");
    if (jwksUri == null || !jwksUri.isTextual()) {
      throw new AuthenticationException("OpenID configuration at " + metadata + " has no jwks_uri");
    }
    URI keySet;
    try {
      keySet = URI.create(jwksUri.textValue());
    } catch (IllegalArgumentException e) {
      throw new AuthenticationException(
          "OpenID configuration at " + metadata + " has an unusable jwks_uri");
    }
    if (!allowedKeySet(keySet)) {
      throw new AuthenticationException(
          "OpenID configuration at " + metadata + " names a key set that is not https: refused");
    }
    if (keySetOnSameHost && !sameOrigin(keySet, metadata)) {
      throw new AuthenticationException(
          "OpenID configuration at " + metadata + " names a key set on another host: refused");
    }
    JsonNode jwks = get(keySet);
    JsonNode list = jwks.get("keys");
    if (list == null || !list.isArray()) {
      throw new AuthenticationException("key set at " + jwksUri.textValue() + " has no keys");
    }
    Map<String, Key> fresh = new HashMap<>();
    for (JsonNode k : list) {
      try {
        JWK jwk = JWK.parse(Json.MAPPER.writeValueAsString(k));
        if (!(jwk instanceof RSAKey rsa) || jwk.getKeyID() == null) {
          continue;
        }
        Set<String> endorsements = new HashSet<>();
        JsonNode e = k.get("endorsements");
        if (e != null && e.isArray()) {
          e.forEach(n -> endorsements.add(n.asText()));
        }
        fresh.put(
            jwk.getKeyID(),
            new Key(rsa.toPublicJWK(), Set.copyOf(endorsements), e != null && e.isArray()));
      } catch (java.text.ParseException | IOException ignored) {
        // a key Beckon cannot use is simply not trusted
      }
    }
    keys = Map.copyOf(fresh);
    fetchedAt = clock.instant();
    fetches++;
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost())
        && a.getPort() == b.getPort()
        && a.getRawUserInfo() == null;
  }

  private static boolean allowedKeySet(URI uri) {
    String scheme =
        uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (scheme.equals("https")) {
      return uri.getHost() != null;
    }
    String host = uri.getHost();
    return scheme.equals("http")
        && host != null
        && (host.equals("localhost")
            || host.equals("[::1]")
            || host.matches("127(\\.\\d{1,3}){3}"));
  }

  private JsonNode get(URI uri) {
    try {
      HttpResponse<java.io.InputStream> r =
          http.send(
              HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      byte[] body;
      try (java.io.InputStream in = r.body()) {
        body = in.readNBytes(MAX_DOCUMENT_BYTES + 1);
      }
      if (r.statusCode() != 200) {
        throw new AuthenticationException("cannot fetch " + uri + ": HTTP " + r.statusCode());
      }
      if (body.length > MAX_DOCUMENT_BYTES) {
        throw new AuthenticationException(
            "cannot use " + uri + ": larger than " + MAX_DOCUMENT_BYTES + " bytes");
      }
      return Json.parse(new String(body, java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AuthenticationException("cannot fetch " + uri + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuthenticationException("interrupted while fetching " + uri, e);
    } catch (RuntimeException e) {
      if (e instanceof AuthenticationException a) {
        throw a;
      }
      throw new AuthenticationException("unusable response from " + uri + ": " + e.getMessage(), e);
    }
  }
}
