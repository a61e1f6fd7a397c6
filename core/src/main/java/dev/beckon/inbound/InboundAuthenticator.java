package dev.beckon.inbound;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.beckon.internal.inbound.SigningKeys;
import java.net.http.HttpClient;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Validates the Bot Framework JWT of an incoming request, as the Bot Connector service
 * specifies: RS256/384/512 only; issuer (channel or Emulator); audience = the bot's app id
 * (Emulator: also {@code appid} for v1.0 tokens, {@code azp} for v2.0); {@code exp}/{@code nbf}
 * with the configured skew; the {@code serviceurl} claim equal to the activity's serviceUrl
 * (channel tokens); the signing key's endorsements containing the activity's channel. Signing
 * keys are fetched from the OpenID configuration, cached, and refreshed at most once per interval
 * when an unknown key id appears.
 *
 * <pre>{@code
 * InboundAuthenticator auth = new InboundAuthenticator(AuthenticationConfig.publicCloud(appId));
 * auth.authenticate(request.getHeader("Authorization"), activity.channelId(), activity.serviceUrl());
 * }</pre>
 *
 * <p>Thread-safe; create one per bot and reuse it (it holds the key caches).
 */
public final class InboundAuthenticator {

  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512);
  private static final int MAX_TOKEN_LENGTH = 16 * 1024;

  private final AuthenticationConfig config;
  private final SigningKeys channelKeys;
  private final @Nullable SigningKeys emulatorKeys;

  /**
   * What a valid token said.
   *
   * @param anonymous whether no token was checked (anonymous mode)
   * @param issuer the token's issuer, or {@code null} when anonymous
   * @param emulator whether it is an Emulator token
   */
  public record Identity(boolean anonymous, @Nullable String issuer, boolean emulator) {}

  /**
   * Creates an authenticator.
   *
   * @param config the validation settings
   */
  public InboundAuthenticator(AuthenticationConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    HttpClient http = HttpClient.newBuilder().connectTimeout(config.fetchTimeout())
        .followRedirects(HttpClient.Redirect.NEVER).build();
    this.channelKeys = new SigningKeys(config.channelOpenIdMetadata(), http, config.fetchTimeout(),
        config.keyCacheTime(), config.unknownKeyRefreshInterval(), config.clock());
    this.emulatorKeys = config.emulatorOpenIdMetadata() == null ? null
        : new SigningKeys(config.emulatorOpenIdMetadata(), http, config.fetchTimeout(), config.keyCacheTime(),
            config.unknownKeyRefreshInterval(), config.clock());
  }

  /**
   * Validates a request's {@code Authorization} header against the activity it carries.
   *
   * @param authorization the header value ({@code Bearer <jwt>}), or {@code null} when absent
   * @param channelId the activity's {@code channelId}
   * @param serviceUrl the activity's {@code serviceUrl}
   * @return who sent it
   * @throws AuthenticationException with the reason, when the request must be refused (401)
   */
  public Identity authenticate(@Nullable String authorization, @Nullable String channelId, @Nullable String serviceUrl) {
    if (config.isAnonymous()) {
      return new Identity(true, null, false);
    }
    if (authorization == null || authorization.isBlank()) {
      throw new AuthenticationException("missing Authorization header");
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new AuthenticationException("Authorization header is not a Bearer token");
    }
    String token = authorization.substring(7).trim();
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new AuthenticationException("token is too long");
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      throw new AuthenticationException("malformed token");
    }
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    if (!ALGORITHMS.contains(alg)) {
      throw new AuthenticationException("token algorithm " + alg + " is not allowed (RS256, RS384, RS512 only)");
    }
    String issuer = claims.getIssuer();
    boolean emulator;
    SigningKeys keys;
    if (config.channelIssuer().equals(issuer)) {
      emulator = false;
      keys = channelKeys;
    } else if (issuer != null && config.emulatorIssuers().contains(issuer) && emulatorKeys != null) {
      emulator = true;
      keys = emulatorKeys;
    } else {
      throw new AuthenticationException("token issuer " + issuer + " is not trusted");
    }
    String kid = jwt.getHeader().getKeyID();
    if (kid == null) {
      throw new AuthenticationException("token has no key id (kid)");
    }
    SigningKeys.Key key = keys.key(kid);
    try {
      if (!jwt.verify(new RSASSAVerifier(key.publicKey()))) {
        throw new AuthenticationException("token signature is not valid");
      }
    } catch (JOSEException e) {
      throw new AuthenticationException("token signature cannot be verified", e);
    }
    checkTimes(claims);
    String appId = config.appId();
    List<String> audience = claims.getAudience();
    if (audience == null || !audience.contains(appId)) {
      throw new AuthenticationException("token audience " + audience + " is not this bot's app id");
    }
    if (emulator) {
      String version = stringClaim(claims, "ver");
      String tokenApp = "2.0".equals(version) ? stringClaim(claims, "azp") : stringClaim(claims, "appid");
      if (!appId.equals(tokenApp)) {
        throw new AuthenticationException("Emulator token is for another app id");
      }
    } else {
      String claimed = stringClaim(claims, "serviceurl");
      if (claimed == null || serviceUrl == null || !sameServiceUrl(claimed, serviceUrl)) {
        throw new AuthenticationException("token serviceurl claim does not match the activity's serviceUrl");
      }
    }
    if (key.hasEndorsements() && (channelId == null || !key.endorsements().contains(channelId))) {
      throw new AuthenticationException("signing key is not endorsed for channel " + channelId);
    }
    return new Identity(false, issuer, emulator);
  }

  private void checkTimes(JWTClaimsSet claims) {
    Instant now = config.clock().instant();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw new AuthenticationException("token has no expiry");
    }
    if (now.isAfter(exp.toInstant().plus(config.clockSkew()))) {
      throw new AuthenticationException("token expired at " + exp.toInstant());
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.isBefore(nbf.toInstant().minus(config.clockSkew()))) {
      throw new AuthenticationException("token is not valid before " + nbf.toInstant());
    }
  }

  private static @Nullable String stringClaim(JWTClaimsSet claims, String name) {
    Object v = claims.getClaim(name);
    return v instanceof String s ? s : null;
  }

  private static boolean sameServiceUrl(String a, String b) {
    return strip(a).equalsIgnoreCase(strip(b));
  }

  private static String strip(String url) {
    String s = url.trim();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /**
   * Whether every request is accepted without a token (no app id configured).
   *
   * @return true in anonymous mode
   */
  public boolean isAnonymous() {
    return config.isAnonymous();
  }

  /**
   * How often the channel keys were fetched (tests, metrics).
   *
   * @return the count
   */
  public int channelKeyFetches() {
    return channelKeys.fetches();
  }
}
