package dev.beckon.auth;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A test CA and certificates it issues, made at test time (BouncyCastle, test scope only). */
final class TestPki {

  final KeyPair caKeys;
  final X509Certificate ca;

  TestPki() {
    caKeys = rsa(2048);
    ca =
        issue(
            "CN=Beckon Test CA",
            caKeys,
            caKeys.getPrivate(),
            new X500Name("CN=Beckon Test CA"),
            true);
  }

  static KeyPair rsa(int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A leaf certificate for {@code keys}, issued by this CA. */
  X509Certificate leaf(String subject, KeyPair keys) {
    return issue(
        subject,
        keys,
        caKeys.getPrivate(),
        new X500Name(ca.getSubjectX500Principal().getName()),
        false);
  }

  private static X509Certificate issue(
      String subject, KeyPair keys, PrivateKey issuerKey, X500Name issuer, boolean isCa) {
    try {
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(now.toEpochMilli())
                  .add(BigInteger.valueOf(System.nanoTime() & 0xffff)),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(1))),
              new X500Name(subject),
              keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  static String keyPem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  static String certPem(X509Certificate c) {
    try {
      return pem("CERTIFICATE", c.getEncoded());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] pkcs12(PrivateKey key, char[] password, X509Certificate... chain) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("bot", key, password, (Certificate[]) chain);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ks.store(out, password);
      return out.toByteArray();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
