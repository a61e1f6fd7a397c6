package dev.beckon.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.beckon.auth.Cloud;
import dev.beckon.inbound.AuthenticationConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A local stand-in for the Bot Framework's OpenID endpoints that issues real RS256 tokens, so you
 * can test your bot's endpoint — or Beckon's {@link dev.beckon.inbound.CaptureHandler} — with the
 * same validation that runs in production.
 *
 * <pre>{@code
 * try (FakeOpenIdServer idp = FakeOpenIdServer.start()) {
 *   AuthenticationConfig config = idp.config("my-app-id");
 *   String header = "Bearer " + idp.channelToken("my-app-id", "https://smba.trafficmanager.net/amer/").sign();
 *   // POST an activity with that header to your endpoint
 * }
 * }</pre>
 *
 * <p>Serves {@code /channel/.well-known/openidconfiguration}, {@code /channel/keys}, {@code
 * /emulator/.well-known/openid-configuration} and {@code /emulator/keys} on 127.0.0.1 (ephemeral
 * port). Keys carry Bot Framework {@code endorsements}. {@link #rotateKeys(boolean)} publishes a
 * new signing key. {@link #attackerContent(String, String)} serves what an attacker would host
 * under {@code /attacker/…} (a key set for a {@code jku}, a certificate for an {@code x5u}), and
 * {@link #requestedPaths()} tells whether a validator ever fetched it.
 *
 * <p>Entra ID tenants too ({@link #config(String, Cloud, String)}, {@link #entraToken}): under
 * {@code /entra/<cloud>/<tenant>/} the v1.0 document {@code .well-known/openid-configuration} (keys
 * at {@code discovery/keys}) and the v2.0 document {@code v2.0/.well-known/openid-configuration}
 * (keys at {@code discovery/v2.0/keys}), each naming the cloud's real issuer for the tenant and
 * each with its own key, so a token signed with the other document's key is told apart.
 * Thread-safe.
 */
public final class FakeOpenIdServer implements AutoCloseable {

  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm
    // and the client's delayed ACK add ~40 ms to every response. Read once per JVM, so set early.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** The channel-token issuer of the public cloud. */
  public static final String CHANNEL_ISSUER = "https://api.botframework.com";

  /** An Emulator v2.0 issuer. */
  public static final String EMULATOR_ISSUER = AuthenticationConfig.EMULATOR_ISSUERS.get(1);

  private final HttpServer server;
  private final List<RSAKey> channelKeys = new CopyOnWriteArrayList<>();
  private final List<RSAKey> emulatorKeys = new CopyOnWriteArrayList<>();
  private volatile List<String> endorsements =
      List.of("msteams", "emulator", "directline", "webchat", "test");
  private final AtomicInteger keyFetches = new AtomicInteger();
  private final List<String> requestedPaths = new CopyOnWriteArrayList<>();
  private final Map<String, String> attackerContent =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Cloud> clouds = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, RSAKey> entraKeys = new java.util.concurrent.ConcurrentHashMap<>();

  private FakeOpenIdServer(HttpServer server) {
    this.server = server;
    channelKeys.add(newKey());
    emulatorKeys.add(newKey());
  }

  /**
   * Starts a server on 127.0.0.1 with a fresh key per token kind.
   *
   * @return the running server
   */
  public static FakeOpenIdServer start() {
    try {
      HttpServer http =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      FakeOpenIdServer s = new FakeOpenIdServer(http);
      http.createContext("/", s::serve);
      http.start();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The base URL.
   *
   * @return e.g. {@code http://127.0.0.1:43121}
   */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * A validation config for an app id that trusts this server (public-cloud issuers).
   *
   * @param appId the bot's app id
   * @return the config
   */
  public AuthenticationConfig config(String appId) {
    return AuthenticationConfig.publicCloud(appId)
        .withOpenIdMetadata(
            baseUri().resolve("/channel/.well-known/openidconfiguration"),
            baseUri().resolve("/emulator/.well-known/openid-configuration"));
  }

  /**
   * A validation config for a cloud that trusts this server: the cloud's channel issuer (Emulator
   * tokens in {@link Cloud#PUBLIC} only) and, with a tenant, that tenant's Entra ID tokens, every
   * document served here.
   *
   * @param appId the bot's app id
   * @param cloud the cloud whose issuers are accepted
   * @param tenantId the single-tenant bot's tenant (lower-case GUID), or {@code null} for none
   * @return the config
   */
  public AuthenticationConfig config(String appId, Cloud cloud, @Nullable String tenantId) {
    AuthenticationConfig base = AuthenticationConfig.forCloud(cloud, appId);
    base =
        base.withOpenIdMetadata(
            baseUri().resolve("/channel/.well-known/openidconfiguration"),
            base.emulatorOpenIdMetadata() == null
                ? null
                : baseUri().resolve("/emulator/.well-known/openid-configuration"));
    if (tenantId == null) {
      return base;
    }
    clouds.put(cloud.name(), cloud);
    return base.withEntra(
        AuthenticationConfig.Entra.of(cloud, tenantId)
            .withOpenIdMetadata(
                entraUri(cloud, tenantId, ".well-known/openid-configuration"),
                entraUri(cloud, tenantId, "v2.0/.well-known/openid-configuration")));
  }

  private URI entraUri(Cloud cloud, String tenantId, String rest) {
    return baseUri().resolve("/entra/" + cloud.name() + "/" + tenantId + "/" + rest);
  }

  /**
   * The private key of one Entra ID discovery document served here (its key set has only this key).
   *
   * @param cloud the cloud
   * @param tenantId the tenant
   * @param v2 the v2.0 document, or the v1.0 one
   * @return the key
   */
  public RSAKey entraSigningKey(Cloud cloud, String tenantId, boolean v2) {
    clouds.put(cloud.name(), cloud);
    return entraKeys.computeIfAbsent(
        cloud.name() + "/" + tenantId + "/" + (v2 ? "v2" : "v1"), k -> newKey());
  }

  /**
   * An Entra ID app-only token of a tenant, as Entra ID issues it to another app of that tenant:
   * issuer {@code <v1 host>/<tenant>/} with {@code ver} 1.0 and an "appid" claim, or {@code <login
   * host>/<tenant>/v2.0} with {@code ver} 2.0 and {@code azp}; {@code tid}, audience the app id;
   * signed with that document's key.
   *
   * @param cloud the cloud
   * @param tenantId the tenant (lower-case GUID)
   * @param v2 a v2.0 token, or a v1.0 one
   * @param audience the audience
   * @return a token builder
   */
  public Token entraToken(Cloud cloud, String tenantId, boolean v2, String audience) {
    Token t = new Token(entraSigningKey(cloud, tenantId, v2));
    t.claims.put("iss", v2 ? cloud.entraV2Issuer(tenantId) : cloud.entraV1Issuer(tenantId));
    t.claims.put("aud", audience);
    t.claims.put("tid", tenantId);
    t.claims.put("ver", v2 ? "2.0" : "1.0");
    t.claims.put(v2 ? "azp" : "appid", "11111111-2222-3333-4444-555555555555");
    return t;
  }

  /**
   * Publishes a new channel signing key (and keeps the old one unless told otherwise): tokens
   * signed with it carry a {@code kid} the validator has not seen yet.
   *
   * @param dropOld whether to unpublish the previous keys
   * @return the new key id
   */
  public String rotateKeys(boolean dropOld) {
    RSAKey k = newKey();
    if (dropOld) {
      channelKeys.clear();
    }
    channelKeys.add(0, k);
    return k.getKeyID();
  }

  /**
   * Which channels the published keys endorse.
   *
   * @param channels channel ids; empty publishes keys without an endorsement list
   */
  public void endorse(List<String> channels) {
    this.endorsements = List.copyOf(channels);
  }

  /**
   * How often a key set was fetched.
   *
   * @return the count
   */
  public int keyFetches() {
    return keyFetches.get();
  }

  /**
   * Every path requested so far, in order (including the OpenID and key-set paths).
   *
   * @return the paths
   */
  public List<String> requestedPaths() {
    return List.copyOf(requestedPaths);
  }

  /**
   * Serves content under {@code /attacker/<name>}, as an attacker's own server would (a key set for
   * a {@code jku} header, a certificate for {@code x5u}); a validator must never fetch it.
   *
   * @param name the last path segment
   * @param body the body served with 200
   * @return the URL it is served at
   */
  public URI attackerContent(String name, String body) {
    attackerContent.put(name, body);
    return baseUri().resolve("/attacker/" + name);
  }

  /**
   * The private key tokens of {@link #channelToken} are signed with: for tests that craft tokens
   * byte by byte (duplicate JSON keys, {@code crit}, {@code b64}) with the published key.
   *
   * @return the current channel signing key (private)
   */
  public RSAKey channelSigningKey() {
    return channelKeys.get(0);
  }

  /**
   * Signs a hand-written header and payload (JSON text, kept byte for byte) with RS256 and a key:
   * for tokens Nimbus's builders refuse to produce (duplicate keys, odd types).
   *
   * @param key the private key
   * @param headerJson the header JSON
   * @param payloadJson the payload JSON
   * @return the compact JWS
   */
  public static String signRaw(RSAKey key, String headerJson, String payloadJson) {
    String input =
        Base64URL.encode(headerJson.getBytes(StandardCharsets.UTF_8))
            + "."
            + Base64URL.encode(payloadJson.getBytes(StandardCharsets.UTF_8));
    try {
      java.security.Signature sig = java.security.Signature.getInstance("SHA256withRSA");
      sig.initSign(key.toPrivateKey());
      sig.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + Base64URL.encode(sig.sign());
    } catch (java.security.GeneralSecurityException | JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A channel token (issuer {@code https://api.botframework.com}) for an app id and serviceUrl,
   * valid for an hour. Adjust it with the builder's methods before {@link Token#sign()}.
   *
   * @param appId the audience
   * @param serviceUrl the value of the token's service URL claim
   * @return a token builder
   */
  public Token channelToken(String appId, String serviceUrl) {
    Token t = new Token(channelKeys.get(0));
    t.claims.put("iss", CHANNEL_ISSUER);
    t.claims.put("aud", appId);
    t.claims.put("serviceurl", serviceUrl);
    return t;
  }

  /**
   * An Emulator v2.0 token ({@code azp} = app id).
   *
   * @param appId the app id
   * @return a token builder
   */
  public Token emulatorToken(String appId) {
    Token t = new Token(emulatorKeys.get(0));
    t.claims.put("iss", EMULATOR_ISSUER);
    t.claims.put("aud", appId);
    t.claims.put("ver", "2.0");
    t.claims.put("azp", appId);
    return t;
  }

  /** A token being built; every setter returns {@code this}. Not thread-safe. */
  public static final class Token {
    private RSAKey key;
    private JWSAlgorithm alg = JWSAlgorithm.RS256;
    private @Nullable String kid;
    private final Map<String, @Nullable Object> claims = new LinkedHashMap<>();
    private Instant issuedAt = Instant.now();
    private Duration lifetime = Duration.ofHours(1);
    private Duration notBeforeOffset = Duration.ofMinutes(-1);
    private final Map<String, Object> headerParams = new LinkedHashMap<>();

    private Token(RSAKey key) {
      this.key = key;
    }

    /**
     * Sets or removes a claim.
     *
     * @param name the claim
     * @param value its value, or {@code null} to remove it
     * @return this
     */
    public Token claim(String name, @Nullable Object value) {
      if (value == null) {
        claims.remove(name);
      } else {
        claims.put(name, value);
      }
      return this;
    }

    /**
     * Sets when it was issued (and so when it expires and starts being valid).
     *
     * @param at the issue time
     * @return this
     */
    public Token issuedAt(Instant at) {
      this.issuedAt = at;
      return this;
    }

    /**
     * Sets the lifetime after issue.
     *
     * @param d the lifetime
     * @return this
     */
    public Token lifetime(Duration d) {
      this.lifetime = d;
      return this;
    }

    /**
     * Sets {@code nbf} relative to the issue time.
     *
     * @param offset e.g. ten minutes for a token not valid yet
     * @return this
     */
    public Token notBeforeOffset(Duration offset) {
      this.notBeforeOffset = offset;
      return this;
    }

    /**
     * Signs with another (unpublished) key under the published key's id: a forged signature.
     *
     * @return this
     */
    public Token forged() {
      this.kid = key.getKeyID();
      this.key = newKey();
      return this;
    }

    /**
     * Signs with this key and names its key id: e.g. a key of another discovery document, which is
     * published, but not for this token's issuer.
     *
     * @param value the private key
     * @return this
     */
    public Token signingKey(RSAKey value) {
      this.key = value;
      this.kid = null;
      return this;
    }

    /**
     * Uses another key id in the header.
     *
     * @param value the kid
     * @return this
     */
    public Token kid(String value) {
      this.kid = value;
      return this;
    }

    /**
     * Uses another RSA algorithm (RS384, RS512).
     *
     * @param value the algorithm
     * @return this
     */
    public Token algorithm(JWSAlgorithm value) {
      this.alg = value;
      return this;
    }

    /**
     * Adds a header parameter (e.g. {@code x-pad}); registered ones ({@code jku}, {@code jwk}, …)
     * are set by building the header yourself from {@link #claimsSet()}.
     *
     * @param name the parameter
     * @param value its value
     * @return this
     */
    public Token header(String name, Object value) {
      this.headerParams.put(name, value);
      return this;
    }

    /**
     * The claims as they would be signed.
     *
     * @return the claims
     */
    public JWTClaimsSet claimsSet() {
      JWTClaimsSet.Builder b =
          new JWTClaimsSet.Builder()
              .issueTime(Date.from(issuedAt))
              .expirationTime(Date.from(issuedAt.plus(lifetime)))
              .notBeforeTime(Date.from(issuedAt.plus(notBeforeOffset)))
              .jwtID(UUID.randomUUID().toString());
      claims.forEach(b::claim);
      return b.build();
    }

    /**
     * Signs it.
     *
     * @return the compact JWT
     */
    public String sign() {
      try {
        SignedJWT jwt =
            new SignedJWT(
                new JWSHeader.Builder(alg)
                    .keyID(kid != null ? kid : key.getKeyID())
                    .customParams(headerParams.isEmpty() ? null : headerParams)
                    .build(),
                claimsSet());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }

    /**
     * An unsigned token ({@code alg: none}) with the same claims: must always be refused.
     *
     * @return the compact JWT
     */
    public String unsigned() {
      String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString();
      return header + "." + Base64URL.encode(claimsSet().toString()) + ".";
    }

    /**
     * An HS256 token whose HMAC secret is the published RSA public key (the classic key confusion
     * attack): must always be refused.
     *
     * @return the compact JWT
     */
    public String hs256WithPublicKey() {
      try {
        byte[] secret = key.toRSAPublicKey().getEncoded();
        SignedJWT jwt =
            new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(),
                claimsSet());
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static RSAKey newKey() {
    try {
      return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private void serve(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    requestedPaths.add(path);
    String body = "";
    String attack =
        path.startsWith("/attacker/")
            ? attackerContent.get(path.substring("/attacker/".length()))
            : null;
    if (attack != null) {
      path = "/attacker";
    }
    if (path.startsWith("/entra/")) {
      body = entra(path);
      if (body == null) {
        ex.sendResponseHeaders(404, -1);
        ex.close();
        return;
      }
      path = "/entra";
    }
    switch (path) {
      case "/entra" -> {
        // answered above
      }
      case "/attacker" -> {
        if (attack == null) { // a client asked for /attacker itself: nothing is served there
          ex.sendResponseHeaders(404, -1);
          ex.close();
          return;
        }
        body = attack;
      }
      case "/channel/.well-known/openidconfiguration" ->
          body = config("/channel/keys", CHANNEL_ISSUER);
      case "/emulator/.well-known/openid-configuration" ->
          body = config("/emulator/keys", EMULATOR_ISSUER);
      case "/channel/keys" -> {
        keyFetches.incrementAndGet();
        body = keys(channelKeys);
      }
      case "/emulator/keys" -> body = keys(emulatorKeys);
      default -> {
        ex.sendResponseHeaders(404, -1);
        ex.close();
        return;
      }
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** An Entra document or key set, or {@code null} for an unknown path. */
  private @Nullable String entra(String path) {
    String[] parts = path.split("/", 5); // "", "entra", cloud, tenant, rest
    if (parts.length != 5) {
      return null;
    }
    Cloud cloud = clouds.get(parts[2]);
    String tenant = parts[3];
    if (cloud == null || !Cloud.isTenantId(tenant)) {
      return null;
    }
    String base = "/entra/" + parts[2] + "/" + tenant + "/";
    return switch (parts[4]) {
      case ".well-known/openid-configuration" ->
          config(base + "discovery/keys", cloud.entraV1Issuer(tenant));
      case "v2.0/.well-known/openid-configuration" ->
          config(base + "discovery/v2.0/keys", cloud.entraV2Issuer(tenant));
      case "discovery/keys" ->
          "{\"keys\":[" + entraSigningKey(cloud, tenant, false).toPublicJWK().toJSONString() + "]}";
      case "discovery/v2.0/keys" ->
          "{\"keys\":[" + entraSigningKey(cloud, tenant, true).toPublicJWK().toJSONString() + "]}";
      default -> null;
    };
  }

  private String config(String keysPath, String issuer) {
    return "{\"issuer\":\""
        + issuer
        + "\",\"jwks_uri\":\""
        + baseUri().resolve(keysPath)
        + "\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
  }

  private String keys(List<RSAKey> keys) {
    List<String> out = new ArrayList<>();
    for (RSAKey k : keys) {
      String jwk = k.toPublicJWK().toJSONString();
      if (!endorsements.isEmpty()) {
        StringBuilder e = new StringBuilder(",\"endorsements\":[");
        for (int i = 0; i < endorsements.size(); i++) {
          e.append(i == 0 ? "" : ",").append('"').append(endorsements.get(i)).append('"');
        }
        jwk = jwk.substring(0, jwk.length() - 1) + e + "]}";
      }
      out.add(jwk);
    }
    return "{\"keys\":[" + String.join(",", out) + "]}";
  }

  /**
   * The clock-independent config for tests that move time.
   *
   * @param appId the app id
   * @param clock the clock
   * @return the config
   */
  public AuthenticationConfig config(String appId, Clock clock) {
    return config(appId).withClock(clock);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
