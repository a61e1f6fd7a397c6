package dev.beckon.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The signed JWT a certificate credential presents instead of a secret (RFC 7523 client assertion,
 * as Entra ID expects it): issuer and subject the app id, audience the token endpoint, a fresh
 * {@code jti}, valid for {@link #LIFETIME}, and the certificate named by {@code x5t#S256} and
 * {@code x5t}. Signed by Nimbus, never by hand.
 */
final class ClientAssertion {

  /** How long one assertion is valid: it is made anew for every token request. */
  static final Duration LIFETIME = Duration.ofMinutes(10);

  private ClientAssertion() {}

  // x5t (SHA-1) is deprecated in Nimbus for being SHA-1; Entra ID still reads it next to x5t#S256
  @SuppressWarnings("deprecation")
  static String sign(
      ClientCertificate certificate,
      ClientCredentials.AssertionAlgorithm algorithm,
      boolean sendChain,
      String appId,
      URI audience,
      Instant now) {
    JWSHeader.Builder header =
        new JWSHeader.Builder(
                algorithm == ClientCredentials.AssertionAlgorithm.PS256
                    ? JWSAlgorithm.PS256
                    : JWSAlgorithm.RS256)
            .type(JOSEObjectType.JWT)
            .x509CertSHA256Thumbprint(new Base64URL(certificate.sha256Thumbprint()))
            .x509CertThumbprint(new Base64URL(certificate.sha1Thumbprint()));
    if (sendChain) {
      List<Base64> chain = new ArrayList<>();
      for (X509Certificate c : certificate.chain()) {
        try {
          chain.add(Base64.encode(c.getEncoded()));
        } catch (CertificateEncodingException e) {
          throw new TokenException("the certificate chain cannot be encoded", false, e);
        }
      }
      header.x509CertChain(chain);
    }
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(appId)
            .subject(appId)
            .audience(audience.toString())
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(LIFETIME)))
            .build();
    SignedJWT jwt = new SignedJWT(header.build(), claims);
    try {
      jwt.sign(new RSASSASigner(certificate.privateKey()));
    } catch (JOSEException | RuntimeException e) {
      throw new TokenException(
          "cannot sign the client assertion for app id "
              + appId
              + " ("
              + e.getClass().getSimpleName()
              + ")",
          false,
          e);
    }
    return jwt.serialize();
  }
}
