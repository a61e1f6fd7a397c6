package dev.beckon.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An app's RSA private key and its X.509 certificate (with any chain), for {@link
 * ClientCredentials#builder(String, ClientCertificate) certificate credentials}: the key signs the
 * client assertion, the certificate's thumbprints name it to Entra ID.
 *
 * <pre>{@code
 * ClientCertificate pem  = ClientCertificate.fromPem(Path.of("bot.key"), Path.of("bot.crt"));
 * ClientCertificate p12  = ClientCertificate.fromPkcs12(Path.of("bot.p12"), password);
 * ClientCertificate keys = ClientCertificate.of(privateKey, List.of(certificate));
 * }</pre>
 *
 * <p>Every byte read is untrusted: a file is read up to {@link #MAX_FILE_BYTES}, at most {@link
 * #MAX_CERTIFICATES} certificates are accepted, and any failure, a parser's included, is a {@link
 * CertificateLoadException} naming the input. The key must be RSA (2048 bits or more) and belong to
 * one of the certificates, which becomes the one the assertion names. PEM input is a PKCS#8 {@code
 * PRIVATE KEY} block and {@code CERTIFICATE} blocks; encrypted or PKCS#1 ({@code RSA PRIVATE KEY})
 * keys are refused with the command that converts them. Immutable; {@link #toString()} shows the
 * subject and thumbprint, never the key.
 */
public final class ClientCertificate {

  /** The largest PEM or PKCS#12 input read (a key and a chain are a few kilobytes). */
  public static final int MAX_FILE_BYTES = 256 * 1024;

  /** The most certificates accepted in one input. */
  public static final int MAX_CERTIFICATES = 16;

  private static final int MIN_RSA_BITS = 2048;

  private final PrivateKey key;
  private final List<X509Certificate> chain;
  private final String sha256Thumbprint;
  private final String sha1Thumbprint;

  private ClientCertificate(PrivateKey key, List<X509Certificate> chain) {
    this.key = key;
    this.chain = chain;
    byte[] der;
    try {
      der = chain.get(0).getEncoded();
    } catch (CertificateEncodingException e) {
      throw new CertificateLoadException("the certificate cannot be encoded", e);
    }
    this.sha256Thumbprint = thumbprint("SHA-256", der);
    this.sha1Thumbprint = thumbprint("SHA-1", der);
  }

  /**
   * A key and certificates already in memory (a {@code KeyStore} of your own, an HSM's key).
   *
   * @param key the RSA private key
   * @param certificates the certificate of the key, with any chain, in any order
   * @return the certificate credential material
   * @throws CertificateLoadException if the key is not RSA, too short, or matches none of the
   *     certificates
   */
  public static ClientCertificate of(PrivateKey key, List<X509Certificate> certificates) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(certificates, "certificates");
    return checked(key, List.copyOf(certificates), "the given key");
  }

  /**
   * Loads PEM files that, together, hold one PKCS#8 private key and its certificate (leaf first or
   * not) with any chain: one combined file, or a key file and a certificate file.
   *
   * @param files the PEM files, each read up to {@link #MAX_FILE_BYTES}
   * @return the certificate credential material
   * @throws CertificateLoadException if a file cannot be read or its content is unusable
   */
  public static ClientCertificate fromPem(Path... files) {
    if (files.length == 0) {
      throw new IllegalArgumentException("name at least one PEM file");
    }
    PemContent all = new PemContent();
    for (Path f : files) {
      readPem(read(f), f.toString(), all);
    }
    return all.toCertificate(String.join(", ", names(files)));
  }

  /**
   * Parses PEM content holding one PKCS#8 private key and its certificate with any chain.
   *
   * @param content the PEM text, at most {@link #MAX_FILE_BYTES}
   * @return the certificate credential material
   * @throws CertificateLoadException if the content is unusable
   */
  public static ClientCertificate parsePem(byte[] content) {
    PemContent all = new PemContent();
    readPem(bounded(content, "the PEM content"), "the PEM content", all);
    return all.toCertificate("the PEM content");
  }

  /**
   * Loads a PKCS#12 keystore ({@code .p12}, {@code .pfx}) holding exactly one private key entry.
   *
   * @param file the keystore, read up to {@link #MAX_FILE_BYTES}
   * @param password the keystore's password (and the key's), empty for none; not kept
   * @return the certificate credential material
   * @throws CertificateLoadException if the file cannot be read, the password is wrong or the
   *     keystore is unusable
   */
  public static ClientCertificate fromPkcs12(Path file, char[] password) {
    return readPkcs12(read(file), password, file.toString());
  }

  /**
   * Parses a PKCS#12 keystore holding exactly one private key entry.
   *
   * @param content the keystore bytes, at most {@link #MAX_FILE_BYTES}
   * @param password the keystore's password (and the key's), empty for none; not kept
   * @return the certificate credential material
   * @throws CertificateLoadException if the password is wrong or the keystore is unusable
   */
  public static ClientCertificate parsePkcs12(byte[] content, char[] password) {
    return readPkcs12(bounded(content, "the PKCS#12 content"), password, "the PKCS#12 content");
  }

  /**
   * The certificate whose key signs: the one the assertion names.
   *
   * @return the leaf certificate
   */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /**
   * The leaf certificate first, then the rest of the chain as given.
   *
   * @return the certificates, unmodifiable
   */
  public List<X509Certificate> chain() {
    return chain;
  }

  /**
   * The leaf certificate's SHA-256 thumbprint, base64url without padding: the assertion's {@code
   * x5t#S256} header.
   *
   * @return the thumbprint
   */
  public String sha256Thumbprint() {
    return sha256Thumbprint;
  }

  /**
   * The leaf certificate's SHA-1 thumbprint, base64url without padding: the assertion's {@code x5t}
   * header, which older Entra endpoints read.
   *
   * @return the thumbprint
   */
  public String sha1Thumbprint() {
    return sha1Thumbprint;
  }

  PrivateKey privateKey() {
    return key;
  }

  @Override
  public String toString() {
    return "ClientCertificate[subject="
        + certificate().getSubjectX500Principal().getName()
        + ", x5t#S256="
        + sha256Thumbprint
        + ", key=***]";
  }

  // --- loading ---------------------------------------------------------------------------------

  private static final class PemContent {
    @Nullable PrivateKey key;
    final List<X509Certificate> certificates = new ArrayList<>();

    ClientCertificate toCertificate(String source) {
      PrivateKey k = key;
      if (k == null) {
        throw new CertificateLoadException(
            source + " holds no PRIVATE KEY block (PKCS#8, unencrypted)", null);
      }
      return checked(k, List.copyOf(certificates), source);
    }
  }

  private static void readPem(byte[] content, String source, PemContent into) {
    // ISO-8859-1 maps every byte, so hostile input cannot fail the decoding itself
    String text = new String(content, StandardCharsets.ISO_8859_1);
    int at = 0;
    while (true) {
      int begin = text.indexOf("-----BEGIN ", at);
      if (begin < 0) {
        return;
      }
      int labelStart = begin + "-----BEGIN ".length();
      int labelEnd = text.indexOf("-----", labelStart);
      if (labelEnd < 0 || labelEnd - labelStart > 40) {
        throw new CertificateLoadException(source + " has a malformed BEGIN line", null);
      }
      String label = text.substring(labelStart, labelEnd);
      String endLine = "-----END " + label + "-----";
      int end = text.indexOf(endLine, labelEnd + 5);
      if (end < 0) {
        throw new CertificateLoadException(
            source + " has no END line for its " + printable(label) + " block", null);
      }
      byte[] der = base64(text.substring(labelEnd + 5, end), source, label);
      switch (label) {
        case "PRIVATE KEY" -> {
          if (into.key != null) {
            throw new CertificateLoadException(source + " holds more than one private key", null);
          }
          into.key = rsaKey(der, source);
        }
        case "CERTIFICATE" -> {
          if (into.certificates.size() >= MAX_CERTIFICATES) {
            throw new CertificateLoadException(
                source + " holds more than " + MAX_CERTIFICATES + " certificates", null);
          }
          into.certificates.add(x509(der, source));
        }
        case "RSA PRIVATE KEY" ->
            throw new CertificateLoadException(
                source
                    + " holds a PKCS#1 key (RSA PRIVATE KEY): convert it to PKCS#8 with `openssl"
                    + " pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem`",
                null);
        case "ENCRYPTED PRIVATE KEY" ->
            throw new CertificateLoadException(
                source
                    + " holds an encrypted key: use a PKCS#12 keystore with its password, or"
                    + " decrypt it with `openssl pkcs8 -nocrypt`",
                null);
        default ->
            throw new CertificateLoadException(
                source
                    + " holds a "
                    + printable(label)
                    + " block; expected PRIVATE KEY or CERTIFICATE",
                null);
      }
      at = end + endLine.length();
    }
  }

  private static ClientCertificate readPkcs12(byte[] content, char[] password, String source) {
    Objects.requireNonNull(password, "password");
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(new ByteArrayInputStream(content), password);
      String alias = null;
      int keys = 0;
      for (String a : Collections.list(store.aliases())) {
        if (store.isKeyEntry(a)) {
          alias = a;
          keys++;
        }
      }
      if (alias == null || keys != 1) {
        throw new CertificateLoadException(
            source + " holds " + keys + " private keys; expected exactly one", null);
      }
      if (!(store.getKey(alias, password) instanceof PrivateKey key)) {
        throw new CertificateLoadException(source + " holds no private key", null);
      }
      Certificate[] chain = store.getCertificateChain(alias);
      if (chain == null || chain.length == 0) {
        throw new CertificateLoadException(source + " holds no certificate for its key", null);
      }
      if (chain.length > MAX_CERTIFICATES) {
        throw new CertificateLoadException(
            source + " holds more than " + MAX_CERTIFICATES + " certificates", null);
      }
      List<X509Certificate> certificates = new ArrayList<>();
      for (Certificate c : chain) {
        if (!(c instanceof X509Certificate x)) {
          throw new CertificateLoadException(source + " holds a non-X.509 certificate", null);
        }
        certificates.add(x);
      }
      return checked(key, List.copyOf(certificates), source);
    } catch (IOException e) {
      throw new CertificateLoadException(
          source + " is not a PKCS#12 keystore, or the password is wrong", e);
    } catch (GeneralSecurityException | RuntimeException e) {
      if (e instanceof CertificateLoadException c) {
        throw c;
      }
      throw new CertificateLoadException(
          source + " is an unusable PKCS#12 keystore (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static ClientCertificate checked(
      PrivateKey key, List<X509Certificate> certificates, String source) {
    if (!"RSA".equalsIgnoreCase(key.getAlgorithm())) {
      throw new CertificateLoadException(
          source + " holds a " + key.getAlgorithm() + " key; certificate credentials need RSA",
          null);
    }
    if (certificates.isEmpty()) {
      throw new CertificateLoadException(source + " holds no CERTIFICATE", null);
    }
    if (certificates.size() > MAX_CERTIFICATES) {
      throw new CertificateLoadException(
          source + " holds more than " + MAX_CERTIFICATES + " certificates", null);
    }
    int leaf = 0;
    if (key instanceof RSAPrivateKey rsa) {
      if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
        throw new CertificateLoadException(
            source + " holds a " + rsa.getModulus().bitLength() + "-bit RSA key; 2048 or more",
            null);
      }
      leaf = -1;
      for (int i = 0; i < certificates.size(); i++) {
        if (certificates.get(i).getPublicKey() instanceof RSAPublicKey pub
            && pub.getModulus().equals(rsa.getModulus())) {
          leaf = i;
          break;
        }
      }
      if (leaf < 0) {
        throw new CertificateLoadException(
            source + ": the private key belongs to none of its certificates", null);
      }
    }
    List<X509Certificate> ordered = new ArrayList<>(certificates.size());
    ordered.add(certificates.get(leaf));
    for (int i = 0; i < certificates.size(); i++) {
      if (i != leaf) {
        ordered.add(certificates.get(i));
      }
    }
    return new ClientCertificate(key, List.copyOf(ordered));
  }

  private static PrivateKey rsaKey(byte[] der, String source) {
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new CertificateLoadException(
          source + " holds a PRIVATE KEY that is not a readable PKCS#8 RSA key", e);
    }
  }

  private static X509Certificate x509(byte[] der, String source) {
    try {
      Certificate c =
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
      if (c instanceof X509Certificate x) {
        return x;
      }
      throw new CertificateLoadException(source + " holds a non-X.509 certificate", null);
    } catch (GeneralSecurityException | RuntimeException e) {
      if (e instanceof CertificateLoadException c) {
        throw c;
      }
      throw new CertificateLoadException(source + " holds an unreadable CERTIFICATE", e);
    }
  }

  private static byte[] base64(String body, String source, String label) {
    StringBuilder b = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != '\r' && c != '\n' && c != ' ' && c != '\t') {
        b.append(c);
      }
    }
    try {
      return Base64.getDecoder().decode(b.toString());
    } catch (IllegalArgumentException e) {
      throw new CertificateLoadException(
          source + " has a " + printable(label) + " block that is not base64", e);
    }
  }

  private static byte[] read(Path file) {
    Objects.requireNonNull(file, "file");
    try (InputStream in = Files.newInputStream(file)) {
      // readNBytes, not the size: a FIFO or a device reports none and may never end
      return bounded(in.readNBytes(MAX_FILE_BYTES + 1), file.toString());
    } catch (IOException e) {
      throw new CertificateLoadException(
          "cannot read " + file + " (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static byte[] bounded(byte[] content, String source) {
    Objects.requireNonNull(content, "content");
    if (content.length > MAX_FILE_BYTES) {
      throw new CertificateLoadException(
          source + " is larger than " + MAX_FILE_BYTES + " bytes", null);
    }
    return content;
  }

  private static List<String> names(Path[] files) {
    List<String> n = new ArrayList<>(files.length);
    for (Path f : files) {
      n.add(f.toString());
    }
    return n;
  }

  // a label from the input, shown in a message: printable ASCII only
  private static String printable(String label) {
    return label.replaceAll("[^ -~]", "?");
  }

  private static String thumbprint(String algorithm, byte[] der) {
    try {
      byte[] digest = MessageDigest.getInstance(algorithm).digest(der);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from this JVM", e);
    }
  }
}
