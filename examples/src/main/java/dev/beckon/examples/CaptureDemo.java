package dev.beckon.examples;

import dev.beckon.codec.Capture;
import dev.beckon.codec.CompactReference;
import dev.beckon.codec.ReferenceJson;
import dev.beckon.codec.ResumptionCookies;
import dev.beckon.reference.ConversationReference;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoredReference;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The smallest Beckon program: capture a reference from an incoming Teams message, keep it in a
 * store, and show it in its three forms (canonical v4 JSON, compact token, v3 cookie).
 *
 * <p>Run: {@code mvn -q -pl examples exec:java -Dexec.mainClass=dev.beckon.examples.CaptureDemo}
 */
public final class CaptureDemo {

  private CaptureDemo() {}

  /**
   * Runs the demo.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out);
  }

  /**
   * Runs the demo, printing to {@code out}.
   *
   * @param out where the transcript goes
   */
  public static void run(PrintStream out) {
    String incoming = resource("sample-incoming-teams-message.json");
    ConversationReference reference = Capture.reference(incoming);

    ReferenceRepository repository = new InMemoryReferenceRepository();
    StoredReference stored = repository.save(reference);
    ConversationReference found = repository.find(reference.key()).orElseThrow().reference();

    out.println(
        "Captured from an incoming Teams message and saved (version " + stored.version() + ").");
    out.println();
    out.println("1) Canonical JSON (v4 ConversationReference, readable by botbuilder-js/-java):");
    out.println(ReferenceJson.writePretty(found));
    out.println();
    String compact = CompactReference.encode(found);
    out.println("2) Compact form (" + compact.length() + " chars, for cookies, queues and URLs):");
    out.println(compact);
    out.println();
    out.println("3) The v3 ResumptionCookie it maps to (the seed article's format):");
    out.println(ResumptionCookies.write(found));
    out.println();
    boolean same =
        CompactReference.decode(compact).equals(found)
            && ResumptionCookies.read(ResumptionCookies.write(found)).key().equals(found.key());
    out.println(same ? "All three forms decode back to the same conversation." : "MISMATCH");
  }

  static String resource(String name) {
    try (InputStream in = CaptureDemo.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
