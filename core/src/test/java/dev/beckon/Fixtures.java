package dev.beckon;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the official SDKs' fixtures copied into test resources. */
public final class Fixtures {
  private Fixtures() {}

  /**
   * Reads a fixture file.
   *
   * @param path path under {@code fixtures/}, e.g. {@code incoming/01-emulator-message.json}
   * @return its text
   */
  public static String read(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("missing fixture " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
