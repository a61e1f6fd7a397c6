package dev.beckon.auth;

import dev.beckon.BeckonException;
import org.jspecify.annotations.Nullable;

/**
 * A private key or certificate could not be loaded: the file is missing, unreadable or too large,
 * the content is not the PEM or PKCS#12 it should be, the password is wrong, or the key does not
 * belong to the certificate. The message says which and names the file, never a password or key
 * material.
 */
public class CertificateLoadException extends BeckonException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong with the input
   * @param cause the parser's or I/O failure, or {@code null}
   */
  public CertificateLoadException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
