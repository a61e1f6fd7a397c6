package dev.beckon.inbound;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.beckon.reference.ServiceUrl;
import java.net.URI;
import java.net.http.HttpClient;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Validates the Bot Framework JWT of an incoming request, as the Bot Connector service specifies,
 * with Nimbus JOSE+JWT's {@link DefaultJWTProcessor} and {@link JWSVerificationKeySelector}:
 * RS256/384/512 only; the signing key is taken only from the keys published behind the configured
 * OpenID metadata, by {@code kid} — header keys and key URLs ({@code jwk}, {@code x5c}, {@code
 * jku}, {@code x5u}) are never used or fetched; a {@code crit} or {@code b64} header parameter is
 * refused (Bot Framework tokens use neither); duplicate JSON keys in header or payload are refused
 * (Nimbus's parser); issuer (channel or Emulator); exactly one audience, the bot's app id
 * (Emulator: also {@code appid} for v1.0 tokens, {@code azp} for v2.0); {@code exp} required;
 * {@code exp}, {@code nbf} and {@code iat} checked with the configured skew, and {@code exp} at
 * most {@link #MAX_LIFETIME} ahead; the {@code serviceurl} claim the same endpoint as the
 * activity's serviceUrl (channel tokens, compared as {@link ServiceUrl}s: ASCII hosts, no Unicode
 * folding, a trailing-dot host is refused); the signing key's endorsements containing the
 * activity's channel. Signing keys are fetched from the OpenID configuration, cached, and refreshed
 * at most once per interval when an unknown key id appears.
 *
 * <p><b>Entra ID tokens (single-tenant bots).</b> With {@link AuthenticationConfig#entra()} set
 * ({@link AuthenticationConfig#forCloud(dev.beckon.auth.Cloud, String, String)}), tokens issued by
 * the bot's own tenant are accepted too, as the Microsoft 365 Agents SDK accepts them: issuer
 * exactly {@code <v1 host>/<tenant>/} with {@code ver} 1.0 and a key of the tenant's v1.0 discovery
 * document, or exactly {@code <login host>/<tenant>/v2.0} with {@code ver} 2.0 and a key of the
 * v2.0 document; each document must name that issuer and a key set on its own host; {@code tid}
 * present and equal to the issuer's tenant and the configured one; exactly one audience, the app
 * id. Discovery URLs come from the configuration, never from the token, so a token cannot make
 * Beckon fetch from another tenant or host. Multi-tenant issuers ({@code common}, {@code
 * organizations}) and other tenants' issuers are refused. Entra tokens carry no {@code serviceurl}
 * and no endorsements: see {@link Identity#entra()}.
 *
 * <p><b>What a valid token proves, and what it does not.</b> A Bot Framework channel token binds
 * its issuer (the Bot Connector), its audience (this bot's app id), the {@code serviceurl} the
 * request comes from, and a lifetime (about an hour); the key's endorsements bind the channel. It
 * binds <em>neither the conversation nor the activity</em>: the same token is valid, until it
 * expires, for any activity of any conversation on that serviceUrl and channel. Whoever holds a
 * token the channel sent (a logging proxy, a leaked log line) can replay it within its lifetime
 * with another body — another conversation id, another user, another text — and it is accepted.
 * Beckon therefore stores only what such a token could already make it store (references on the
 * token's own serviceUrl and endorsed channel), never echoes tokens into logs or messages, and
 * sends to a stored serviceUrl only through the {@link dev.beckon.auth.TrustPolicy}. Keep TLS
 * termination and request logs free of {@code Authorization} headers.
 *
 * <pre>{@code
 * InboundAuthenticator auth = new InboundAuthenticator(AuthenticationConfig.publicCloud(appId));
 * auth.authenticate(request.getHeader("Authorization"), activity.channelId(), activity.serviceUrl());
 * }</pre>
 *
 * <p>Thread-safe; create one per bot and reuse it (it holds the key caches).
 */
public final class InboundAuthenticator {

  /**
   * The longest a token may still be valid: {@code exp} further ahead than this (plus skew) is
   * refused.
   */
  public static final Duration MAX_LIFETIME = Duration.ofHours(24);

  private static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512);
  private static final int MAX_TOKEN_LENGTH = 16 * 1024;

  private final AuthenticationConfig config;
  private final SigningKeys channelKeys;
  private final DefaultJWTProcessor<Lookup> channelProcessor;
  private final @Nullable DefaultJWTProcessor<Lookup> emulatorProcessor;
  private final @Nullable DefaultJWTProcessor<Lookup> entraV1Processor;
  private final @Nullable DefaultJWTProcessor<Lookup> entraV2Processor;

  /** Which issuer family a token claims, and so which keys and rules apply. */
  private enum Kind {
    CHANNEL,
    EMULATOR,
    ENTRA_V1,
    ENTRA_V2
  }

  /**
   * What a valid token said.
   *
   * @param anonymous whether no token was checked (anonymous mode)
   * @param issuer the token's issuer, or {@code null} when anonymous
   * @param emulator whether it is an Emulator token
   * @param tenantId the tenant of an Entra ID token ({@code tid}), or {@code null} for other tokens
   * @param callerAppId the app that asked for an Entra ID token ({@code azp} of v2.0, {@code appid}
   *     of v1.0 tokens), or {@code null} for other tokens or when absent
   */
  public record Identity(
      boolean anonymous,
      @Nullable String issuer,
      boolean emulator,
      @Nullable String tenantId,
      @Nullable String callerAppId) {

    /**
     * A channel, Emulator or anonymous identity (no Entra ID claims).
     *
     * @param anonymous whether no token was checked
     * @param issuer the token's issuer, or {@code null} when anonymous
     * @param emulator whether it is an Emulator token
     */
    public Identity(boolean anonymous, @Nullable String issuer, boolean emulator) {
      this(anonymous, issuer, emulator, null, null);
    }

    /**
     * Whether the token was issued by Entra ID for the bot's tenant (single-tenant bots). Such a
     * token binds no {@code serviceUrl}: any app of the tenant that may ask Entra ID for a token
     * for this bot's app id holds one; check {@link #callerAppId()} when only some may call.
     *
     * @return whether {@link #tenantId()} is set
     */
    public boolean entra() {
      return tenantId != null;
    }
  }

  /** Per-call context: the published key the processor selected, for its endorsements. */
  private static final class Lookup implements SecurityContext {
    private SigningKeys.@Nullable Key key;
  }

  /**
   * Creates an authenticator.
   *
   * @param config the validation settings
   */
  public InboundAuthenticator(AuthenticationConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(config.fetchTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.channelKeys =
        new SigningKeys(
            config.channelOpenIdMetadata(),
            http,
            config.fetchTimeout(),
            config.keyCacheTime(),
            config.unknownKeyRefreshInterval(),
            config.clock());
    this.channelProcessor =
        processor(
            channelKeys, Set.of(config.channelIssuer()), Set.of("iss", "aud", "exp", "serviceurl"));
    URI emulatorMetadata = config.emulatorOpenIdMetadata();
    this.emulatorProcessor =
        emulatorMetadata == null || config.emulatorIssuers().isEmpty()
            ? null
            : processor(
                new SigningKeys(
                    emulatorMetadata,
                    http,
                    config.fetchTimeout(),
                    config.keyCacheTime(),
                    config.unknownKeyRefreshInterval(),
                    config.clock()),
                Set.copyOf(config.emulatorIssuers()),
                Set.of("iss", "aud", "exp"));
    AuthenticationConfig.Entra entra = config.entra();
    this.entraV1Processor =
        entra == null
            ? null
            : processor(
                entraKeys(http, entra.v1OpenIdMetadata(), entra.v1Issuer()),
                Set.of(entra.v1Issuer()),
                ENTRA_CLAIMS);
    this.entraV2Processor =
        entra == null
            ? null
            : processor(
                entraKeys(http, entra.v2OpenIdMetadata(), entra.v2Issuer()),
                Set.of(entra.v2Issuer()),
                ENTRA_CLAIMS);
  }

  private static final Set<String> ENTRA_CLAIMS = Set.of("iss", "aud", "exp", "tid", "ver");

  private SigningKeys entraKeys(HttpClient http, URI metadata, String issuer) {
    return new SigningKeys(
        metadata,
        http,
        config.fetchTimeout(),
        config.keyCacheTime(),
        config.unknownKeyRefreshInterval(),
        config.clock(),
        issuer,
        true);
  }

  private DefaultJWTProcessor<Lookup> processor(
      SigningKeys keys, Set<String> issuers, Set<String> required) {
    JWKSource<Lookup> source =
        (selector, lookup) -> {
          Set<String> kids = selector.getMatcher().getKeyIDs();
          if (kids == null || kids.size() != 1) {
            return List.of();
          }
          SigningKeys.Key key = keys.key(kids.iterator().next());
          List<JWK> match = selector.select(new JWKSet(key.jwk()));
          if (lookup != null && !match.isEmpty()) {
            lookup.key = key;
          }
          return match;
        };
    DefaultJWTProcessor<Lookup> p = new DefaultJWTProcessor<>();
    p.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, source));
    p.setJWTClaimsSetVerifier(new ClaimsVerifier(config, issuers, required));
    return p;
  }

  /**
   * Nimbus's checks (audience, required claims, exp, nbf) on Beckon's clock, plus iss, iat,
   * lifetime, one audience.
   */
  private static final class ClaimsVerifier extends DefaultJWTClaimsVerifier<Lookup> {
    private final AuthenticationConfig config;
    private final Set<String> issuers;

    ClaimsVerifier(AuthenticationConfig config, Set<String> issuers, Set<String> required) {
      // anonymous configs never reach a processor; their audience set is a placeholder
      // (mutable sets: Nimbus asks them whether they contain null)
      super(
          new HashSet<>(Set.of(Objects.requireNonNullElse(config.appId(), ""))),
          new JWTClaimsSet.Builder().build(),
          new HashSet<>(required),
          new HashSet<>());
      this.config = config;
      this.issuers = issuers;
      setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, config.clockSkew().toSeconds()));
    }

    @Override
    protected Date currentTime() {
      return Date.from(config.clock().instant());
    }

    @Override
    public void verify(JWTClaimsSet claims, @Nullable Lookup context) throws BadJWTException {
      super.verify(claims, context);
      if (!(claims.getClaim("iss") instanceof String iss) || !issuers.contains(iss)) {
        throw new BadJWTException("JWT issuer is not trusted");
      }
      if (!(claims.getClaim("aud") instanceof String) && claims.getAudience().size() != 1) {
        throw new BadJWTException("JWT must have exactly one audience");
      }
      Instant now = config.clock().instant();
      Date exp = claims.getExpirationTime();
      if (exp != null && exp.toInstant().isAfter(now.plus(MAX_LIFETIME).plus(config.clockSkew()))) {
        throw new BadJWTException(
            "JWT expires more than " + MAX_LIFETIME.toHours() + " hours from now");
      }
      Date iat = claims.getIssueTime();
      if (iat != null && iat.toInstant().isAfter(now.plus(config.clockSkew()))) {
        throw new BadJWTException("JWT is issued in the future");
      }
    }
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
  public Identity authenticate(
      @Nullable String authorization, @Nullable String channelId, @Nullable String serviceUrl) {
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
    String issuer;
    try {
      jwt = SignedJWT.parse(token);
      issuer = jwt.getJWTClaimsSet().getIssuer();
    } catch (ParseException | RuntimeException e) {
      throw new AuthenticationException("malformed token");
    }
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    if (!ALGORITHMS.contains(alg)) {
      throw new AuthenticationException(
          "token algorithm " + alg + " is not allowed (RS256, RS384, RS512 only)");
    }
    if (hasParam(jwt, "crit") || hasParam(jwt, "b64")) {
      // Bot Framework tokens use neither; an empty crit list is invalid (RFC 7515 4.1.11), and
      // b64 (RFC 7797) changes what the signature covers
      throw new AuthenticationException("token has a crit or b64 header parameter");
    }
    if (jwt.getHeader().getKeyID() == null) {
      throw new AuthenticationException("token has no key id (kid)");
    }
    Kind kind = kind(issuer);
    DefaultJWTProcessor<Lookup> processor =
        switch (kind) {
          case CHANNEL -> channelProcessor;
          case EMULATOR -> Objects.requireNonNull(emulatorProcessor);
          case ENTRA_V1 -> Objects.requireNonNull(entraV1Processor);
          case ENTRA_V2 -> Objects.requireNonNull(entraV2Processor);
        };
    Lookup lookup = new Lookup();
    JWTClaimsSet claims;
    try {
      claims = processor.process(jwt, lookup);
    } catch (BadJOSEException | JOSEException e) {
      throw new AuthenticationException("token rejected: " + printable(e.getMessage()));
    }
    SigningKeys.Key key = lookup.key;
    if (key == null) {
      throw new AuthenticationException("token rejected: no published key verified it");
    }
    String appId = config.appId();
    String tenantId = null;
    String callerAppId = null;
    switch (kind) {
      case EMULATOR -> {
        String version = stringClaim(claims, "ver");
        String tokenApp =
            "2.0".equals(version) ? stringClaim(claims, "azp") : stringClaim(claims, "appid");
        if (!Objects.equals(appId, tokenApp)) {
          throw new AuthenticationException("Emulator token is for another app id");
        }
      }
      case CHANNEL -> {
        String claimed = stringClaim(claims, "serviceurl");
        if (claimed == null || serviceUrl == null || !sameServiceUrl(claimed, serviceUrl)) {
          throw new AuthenticationException(
              "token serviceurl claim does not match the activity's serviceUrl");
        }
      }
      case ENTRA_V1, ENTRA_V2 -> {
        boolean v2 = kind == Kind.ENTRA_V2;
        if (!(v2 ? "2.0" : "1.0").equals(stringClaim(claims, "ver"))) {
          throw new AuthenticationException(
              "Entra ID token version (ver) does not match its issuer's ("
                  + (v2 ? "2.0" : "1.0")
                  + ")");
        }
        AuthenticationConfig.Entra entra = Objects.requireNonNull(config.entra());
        String tid = stringClaim(claims, "tid");
        if (tid == null
            || !tid.equals(issuerTenant(Objects.requireNonNull(issuer), v2))
            || !tid.equals(entra.tenantId())) {
          throw new AuthenticationException(
              "Entra ID token tenant (tid) is not its issuer's and the bot's tenant");
        }
        tenantId = tid;
        callerAppId = stringClaim(claims, v2 ? "azp" : "appid");
      }
    }
    if (key.hasEndorsements() && (channelId == null || !key.endorsements().contains(channelId))) {
      throw new AuthenticationException("signing key is not endorsed for the activity's channel");
    }
    return new Identity(false, issuer, kind == Kind.EMULATOR, tenantId, callerAppId);
  }

  private Kind kind(@Nullable String issuer) {
    AuthenticationConfig.Entra entra = config.entra();
    if (issuer == null) {
      throw new AuthenticationException("token issuer is not trusted");
    }
    if (config.channelIssuer().equals(issuer)) {
      return Kind.CHANNEL;
    }
    if (config.emulatorIssuers().contains(issuer) && emulatorProcessor != null) {
      return Kind.EMULATOR;
    }
    if (entra != null && entra.v1Issuer().equals(issuer)) {
      return Kind.ENTRA_V1;
    }
    if (entra != null && entra.v2Issuer().equals(issuer)) {
      return Kind.ENTRA_V2;
    }
    throw new AuthenticationException("token issuer is not trusted");
  }

  /**
   * The tenant segment of an Entra ID issuer: {@code …/<tenant>/} (v1.0) or {@code
   * …/<tenant>/v2.0}.
   */
  private static @Nullable String issuerTenant(String issuer, boolean v2) {
    String rest = v2 ? issuer.substring(0, issuer.length() - "/v2.0".length()) : issuer;
    if (!v2) {
      rest = rest.substring(0, rest.length() - 1);
    }
    int slash = rest.lastIndexOf('/');
    return slash < 0 ? null : rest.substring(slash + 1);
  }

  /**
   * Nimbus messages may quote claim values, which the sender chose: no control characters, at most
   * 200 characters.
   */
  private static String printable(@Nullable String message) {
    String m = message == null ? "" : message.replaceAll("[\\p{Cntrl}\\p{Zl}\\p{Zp}]", "?");
    return m.length() <= 200 ? m : m.substring(0, 200) + "…";
  }

  /**
   * Whether the header, as sent, names a parameter (Nimbus drops an empty {@code crit} list when
   * parsing).
   */
  private static boolean hasParam(SignedJWT jwt, String name) {
    try {
      return JSONObjectUtils.parse(jwt.getHeader().getParsedBase64URL().decodeToString())
          .containsKey(name);
    } catch (ParseException e) {
      return true;
    }
  }

  private static @Nullable String stringClaim(JWTClaimsSet claims, String name) {
    Object v = claims.getClaim(name);
    return v instanceof String s ? s : null;
  }

  /**
   * Both must pass the serviceUrl rule and name the same endpoint (ASCII host, no Unicode folding).
   */
  private static boolean sameServiceUrl(String claimed, String activity) {
    try {
      return ServiceUrl.parse(claimed).sameEndpoint(ServiceUrl.parse(activity));
    } catch (IllegalArgumentException e) {
      return false;
    }
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
