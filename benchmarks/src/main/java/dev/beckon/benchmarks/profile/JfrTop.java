package dev.beckon.benchmarks.profile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes a JFR recording of a benchmark run for one subject: the CPU samples ({@code
 * jdk.ExecutionSample}) and allocation samples ({@code jdk.ObjectAllocationSample}) whose stack
 * holds a frame matching {@code --within} (e.g. {@code RedisReferenceRepository.save}, or the raw
 * baseline's method), then the top methods by self samples, by inclusive samples among the frames
 * below the matched one, and the top allocation sites by weight.
 *
 * <pre>{@code
 * java -cp ... dev.beckon.benchmarks.profile.JfrTop rec.jfr --within RedisReferenceRepository.save
 * }</pre>
 */
public final class JfrTop {

  private JfrTop() {}

  /**
   * Prints the summary.
   *
   * @param args the recording, then {@code --within <Class.method>} and optionally {@code --top N}
   * @throws Exception on a read failure
   */
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    String within = "";
    int top = 25;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--within" -> within = args[i + 1];
        case "--top" -> top = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> inclusive = new HashMap<>();
    Map<String, Long> alloc = new HashMap<>();
    Map<String, Long> byBeckonFrame = new HashMap<>();
    Map<String, Long> byThread = new HashMap<>();
    long samples = 0;
    long allSamples = 0;
    long allocTotal = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      String type = e.getEventType().getName();
      boolean cpu = type.equals("jdk.ExecutionSample");
      boolean allocation = type.equals("jdk.ObjectAllocationSample");
      if (!cpu && !allocation) {
        continue;
      }
      RecordedStackTrace st = e.getStackTrace();
      if (st == null) {
        continue;
      }
      if (cpu) {
        allSamples++;
      }
      List<String> frames = new ArrayList<>();
      for (RecordedFrame f : st.getFrames()) {
        frames.add(name(f.getMethod()));
      }
      int at = -1;
      for (int i = 0; i < frames.size(); i++) {
        if (frames.get(i).contains(within)) {
          at = i; // frames[0] is the top; keep the outermost match
        }
      }
      if (at < 0) {
        continue;
      }
      if (cpu) {
        samples++;
        self.merge(frames.get(0), 1L, Long::sum);
        byBeckonFrame.merge(firstBeckon(frames, at), 1L, Long::sum);
        var thread = e.getThread("sampledThread");
        String tn = thread == null ? "?" : String.valueOf(thread.getJavaName());
        byThread.merge(tn.replaceAll("[0-9]+", "N"), 1L, Long::sum);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i <= at; i++) {
          if (seen.add(frames.get(i))) {
            inclusive.merge(frames.get(i), 1L, Long::sum);
          }
        }
      } else {
        long w = e.getLong("weight");
        allocTotal += w;
        String cls = e.getClass("objectClass").getName();
        alloc.merge(cls + " at " + firstBeckonOrTop(frames, at), w, Long::sum);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%s: %d of %d CPU samples within '%s'%n%n",
        file.getFileName(),
        samples,
        allSamples,
        within);
    print("self", self, samples, top, "samples");
    print("inclusive (frames at or below the matched one)", inclusive, samples, top, "samples");
    print(
        "by the Beckon method nearest the top of the stack (its own code and what it calls)",
        byBeckonFrame,
        samples,
        top,
        "samples");
    print("by thread (digits folded)", byThread, samples, top, "samples");
    print(
        "allocation (sampled weight) by class and first Beckon frame",
        alloc,
        allocTotal,
        top,
        "bytes");
  }

  private static String firstBeckon(List<String> frames, int at) {
    for (int i = 0; i <= at; i++) {
      if (frames.get(i).startsWith("dev.beckon.") && !frames.get(i).contains(".benchmarks.")) {
        return frames.get(i);
      }
    }
    return "(no Beckon frame)";
  }

  private static String firstBeckonOrTop(List<String> frames, int at) {
    for (int i = 0; i <= at; i++) {
      if (frames.get(i).startsWith("dev.beckon.") && !frames.get(i).contains(".benchmarks.")) {
        return frames.get(i);
      }
    }
    return frames.get(0);
  }

  private static String name(RecordedMethod m) {
    return m.getType().getName() + "." + m.getName();
  }

  private static void print(String title, Map<String, Long> m, long total, int top, String unit) {
    System.out.printf(Locale.ROOT, "### %s (of %d %s)%n", title, total, unit);
    m.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(top)
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT,
                    "%6.1f%%  %s%n",
                    total == 0 ? 0 : 100.0 * e.getValue() / total,
                    e.getKey()));
    System.out.println();
  }
}
