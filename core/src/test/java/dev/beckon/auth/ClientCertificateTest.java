package dev.beckon.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the key and certificate from PEM and PKCS#12, and the clear refusals. */
class ClientCertificateTest {

  private static final TestPki PKI = new TestPki();
  private static final KeyPair KEYS = TestPki.rsa(2048);
  private static final X509Certificate LEAF = PKI.leaf("CN=beckon-bot", KEYS);
  private static final char[] PASSWORD = "p12-pass".toCharArray();

  @TempDir Path dir;

  @Test
  void aCombinedPemFileLeafAfterTheCa() throws Exception {
    Path f = dir.resolve("bot.pem");
    Files.writeString(
        f,
        "Bag Attributes: ignored text outside the blocks\n"
            + TestPki.certPem(PKI.ca)
            + TestPki.keyPem(KEYS.getPrivate())
            + TestPki.certPem(LEAF));
    ClientCertificate c = ClientCertificate.fromPem(f);
    assertThat(c.certificate()).as("the key's certificate leads").isEqualTo(LEAF);
    assertThat(c.chain()).containsExactly(LEAF, PKI.ca);
    assertThat(c.sha256Thumbprint())
        .isEqualTo(CertificateCredentialsTest.thumbprint("SHA-256", LEAF));
    assertThat(c.sha1Thumbprint()).isEqualTo(CertificateCredentialsTest.thumbprint("SHA-1", LEAF));
  }

  @Test
  void aKeyFileAndACertificateFileWithCrlf() throws Exception {
    Path key = dir.resolve("bot.key");
    Path crt = dir.resolve("bot.crt");
    Files.writeString(key, TestPki.keyPem(KEYS.getPrivate()).replace("\n", "\r\n"));
    Files.writeString(crt, TestPki.certPem(LEAF));
    assertThat(ClientCertificate.fromPem(key, crt).certificate()).isEqualTo(LEAF);
  }

  @Test
  void aPkcs12Keystore() throws Exception {
    Path f = dir.resolve("bot.p12");
    Files.write(f, TestPki.pkcs12(KEYS.getPrivate(), PASSWORD, LEAF, PKI.ca));
    ClientCertificate c = ClientCertificate.fromPkcs12(f, PASSWORD);
    assertThat(c.chain()).containsExactly(LEAF, PKI.ca);
    assertThat(c.toString()).contains("CN=beckon-bot").contains("key=***");
  }

  @Test
  void aWrongPkcs12PasswordIsNamedAsSuch() throws Exception {
    Path f = dir.resolve("bot.p12");
    Files.write(f, TestPki.pkcs12(KEYS.getPrivate(), PASSWORD, LEAF));
    assertThatThrownBy(() -> ClientCertificate.fromPkcs12(f, "wrong".toCharArray()))
        .isInstanceOf(CertificateLoadException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("password is wrong")
        .hasMessageNotContaining("wrong\"");
  }

  @Test
  void unusablePemInputIsRefusedWithWhatToDo() {
    String cert = TestPki.certPem(LEAF);
    String key = TestPki.keyPem(KEYS.getPrivate());
    assertThat(refusal(cert)).contains("no PRIVATE KEY block");
    assertThat(refusal(key)).contains("no CERTIFICATE");
    assertThat(refusal(key.replace("PRIVATE KEY", "RSA PRIVATE KEY") + cert))
        .contains("PKCS#1")
        .contains("openssl pkcs8 -topk8");
    assertThat(refusal(key.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY") + cert))
        .contains("encrypted");
    assertThat(refusal(key + key + cert)).contains("more than one private key");
    assertThat(refusal(key.replace("-----END PRIVATE KEY-----", "") + cert))
        .contains("no END line");
    assertThat(refusal("-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n" + cert))
        .contains("not base64");
    assertThat(refusal("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" + cert))
        .contains("not a readable PKCS#8 RSA key");
    assertThat(refusal(key + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
        .contains("unreadable CERTIFICATE");
    assertThat(refusal(key + "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
        .contains("PUBLIC KEY block");
    assertThat(refusal(key + cert.repeat(ClientCertificate.MAX_CERTIFICATES + 1)))
        .contains("more than 16 certificates");
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() {
    KeyPair other = TestPki.rsa(2048);
    assertThat(refusal(TestPki.keyPem(other.getPrivate()) + TestPki.certPem(LEAF)))
        .contains("belongs to none of its certificates");
  }

  @Test
  void shortRsaAndNonRsaKeysAreRefused() throws Exception {
    KeyPair weak = TestPki.rsa(1024);
    assertThatThrownBy(
            () -> ClientCertificate.of(weak.getPrivate(), List.of(PKI.leaf("CN=weak", weak))))
        .isInstanceOf(CertificateLoadException.class)
        .hasMessageContaining("1024-bit");
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    assertThatThrownBy(() -> ClientCertificate.of(ec.generateKeyPair().getPrivate(), List.of(LEAF)))
        .isInstanceOf(CertificateLoadException.class)
        .hasMessageContaining("EC key");
  }

  @Test
  void filesAreReadUpToTheBound() throws Exception {
    Path big = dir.resolve("big.pem");
    Files.write(big, new byte[ClientCertificate.MAX_FILE_BYTES + 1]);
    assertThatThrownBy(() -> ClientCertificate.fromPem(big))
        .isInstanceOf(CertificateLoadException.class)
        .hasMessageContaining("larger than 262144 bytes");
    assertThatThrownBy(() -> ClientCertificate.fromPkcs12(big, PASSWORD))
        .isInstanceOf(CertificateLoadException.class)
        .hasMessageContaining("larger than");
    assertThatThrownBy(
            () -> ClientCertificate.parsePem(new byte[ClientCertificate.MAX_FILE_BYTES + 1]))
        .isInstanceOf(CertificateLoadException.class);
    assertThatThrownBy(() -> ClientCertificate.fromPem(dir.resolve("missing.pem")))
        .isInstanceOf(CertificateLoadException.class)
        .hasMessageContaining("cannot read")
        .hasMessageContaining("missing.pem");
  }

  @Test
  void garbageIsNotAKeystore() {
    assertThatThrownBy(
            () ->
                ClientCertificate.parsePkcs12("garbage".getBytes(StandardCharsets.UTF_8), PASSWORD))
        .isInstanceOf(CertificateLoadException.class)
        .hasMessageContaining("not a PKCS#12 keystore");
  }

  private static String refusal(String pem) {
    try {
      ClientCertificate.parsePem(pem.getBytes(StandardCharsets.US_ASCII));
    } catch (CertificateLoadException e) {
      return e.getMessage();
    }
    throw new AssertionError("accepted: " + pem);
  }
}
