package dev.beckon.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Every byte of a key file is hostile: whatever the PEM or PKCS#12 input, loading either succeeds
 * or raises {@link CertificateLoadException}, never another exception.
 */
class ClientCertificatePropertyTest {

  private static final TestPki PKI = new TestPki();
  private static final KeyPair KEYS = TestPki.rsa(2048);
  private static final X509Certificate LEAF = PKI.leaf("CN=beckon-bot", KEYS);
  private static final byte[] PEM =
      (TestPki.keyPem(KEYS.getPrivate()) + TestPki.certPem(LEAF) + TestPki.certPem(PKI.ca))
          .getBytes(StandardCharsets.US_ASCII);
  private static final char[] PASSWORD = "pw".toCharArray();
  private static final byte[] P12 = TestPki.pkcs12(KEYS.getPrivate(), PASSWORD, LEAF, PKI.ca);

  @Property(tries = 300)
  void arbitraryBytesAreRefusedCleanly(@ForAll @Size(max = 4096) byte[] input) {
    assertOnlyDocumentedFailures(() -> ClientCertificate.parsePem(input));
    assertOnlyDocumentedFailures(() -> ClientCertificate.parsePkcs12(input, PASSWORD));
  }

  @Property(tries = 300)
  void mutatedPemIsLoadedOrRefusedCleanly(@ForAll("pemMutations") byte[] input) {
    assertOnlyDocumentedFailures(() -> ClientCertificate.parsePem(input));
  }

  @Property(tries = 200)
  void mutatedPkcs12IsLoadedOrRefusedCleanly(@ForAll("pkcs12Mutations") byte[] input) {
    assertOnlyDocumentedFailures(() -> ClientCertificate.parsePkcs12(input, PASSWORD));
  }

  @Provide
  Arbitrary<byte[]> pemMutations() {
    return mutations(PEM);
  }

  @Provide
  Arbitrary<byte[]> pkcs12Mutations() {
    return mutations(P12);
  }

  // a valid input with bytes overwritten, a cut, or a run of itself repeated
  private static Arbitrary<byte[]> mutations(byte[] valid) {
    Arbitrary<byte[]> overwritten =
        Combinators.combine(
                Arbitraries.integers()
                    .between(0, valid.length - 1)
                    .list()
                    .ofMinSize(1)
                    .ofMaxSize(8),
                Arbitraries.bytes().list().ofSize(8))
            .as(
                (at, values) -> {
                  byte[] b = valid.clone();
                  for (int i = 0; i < at.size(); i++) {
                    b[at.get(i)] = values.get(i);
                  }
                  return b;
                });
    Arbitrary<byte[]> cut =
        Arbitraries.integers()
            .between(0, valid.length - 1)
            .map(n -> java.util.Arrays.copyOf(valid, n));
    Arbitrary<byte[]> spliced =
        Combinators.combine(
                Arbitraries.integers().between(0, valid.length - 1),
                Arbitraries.integers().between(0, valid.length - 1))
            .as(
                (from, to) -> {
                  int a = Math.min(from, to);
                  int z = Math.max(from, to);
                  byte[] b = new byte[valid.length + (z - a)];
                  System.arraycopy(valid, 0, b, 0, z);
                  System.arraycopy(valid, a, b, z, valid.length - a);
                  return b;
                });
    return Arbitraries.oneOf(overwritten, cut, spliced);
  }

  private static void assertOnlyDocumentedFailures(Runnable load) {
    try {
      load.run();
    } catch (CertificateLoadException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }
}
