package dev.beckon.cli;

import dev.beckon.cli.config.Redactor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * The CLI's standard output and standard error, through the {@link Redactor}: text is held until a
 * line ends ({@code \n} or {@code \r}) or is flushed, then written with every secret hidden. The
 * CLI's own messages go through {@link #writer}, library log lines (slf4j-simple, JUL) through the
 * {@link #stream} installed as {@code System.err} and {@code System.out}.
 */
final class RedactedOutput {

  private RedactedOutput() {}

  /**
   * A writer that redacts each line before passing it on.
   *
   * @param target where the redacted text goes
   * @param redactor the redaction
   * @return an auto-flushing print writer
   */
  static PrintWriter writer(Writer target, Redactor redactor) {
    return new PrintWriter(
        new Writer() {
          private final StringBuilder line = new StringBuilder();

          @Override
          public synchronized void write(char[] cbuf, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
              line.append(cbuf[i]);
              if (cbuf[i] == '\n' || cbuf[i] == '\r') {
                emit();
              }
            }
          }

          private void emit() throws IOException {
            if (line.length() > 0) {
              target.write(redactor.redact(line.toString()));
              line.setLength(0);
            }
          }

          @Override
          public synchronized void flush() throws IOException {
            emit();
            target.flush();
          }

          @Override
          public synchronized void close() throws IOException {
            flush();
          }
        },
        true);
  }

  /**
   * A print stream (UTF-8) that redacts each line before passing it on.
   *
   * @param target where the redacted bytes go
   * @param redactor the redaction
   * @return an auto-flushing print stream
   */
  static PrintStream stream(OutputStream target, Redactor redactor) {
    return new PrintStream(
        new OutputStream() {
          private final ByteArrayOutputStream line = new ByteArrayOutputStream();

          @Override
          public synchronized void write(int b) throws IOException {
            line.write(b);
            if (b == '\n' || b == '\r') {
              emit();
            }
          }

          private void emit() throws IOException {
            if (line.size() > 0) {
              target.write(
                  redactor
                      .redact(line.toString(StandardCharsets.UTF_8))
                      .getBytes(StandardCharsets.UTF_8));
              line.reset();
            }
          }

          @Override
          public synchronized void flush() throws IOException {
            emit();
            target.flush();
          }
        },
        true,
        StandardCharsets.UTF_8);
  }
}
