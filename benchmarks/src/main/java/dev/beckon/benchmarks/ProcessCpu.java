package dev.beckon.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The process's CPU time without the JIT compiler's: on a loaded machine the compiler threads are
 * still at work long after the warm-up (they get little CPU), and their time per message was larger
 * than the client's own. Read from {@code /proc/self/task/<tid>/schedstat} (Linux); elsewhere, the
 * whole process's CPU time.
 */
final class ProcessCpu {

  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final Path TASKS = Path.of("/proc/self/task");

  private ProcessCpu() {}

  /**
   * CPU nanoseconds used so far by every thread of this process but the JIT compiler's.
   *
   * @return the nanoseconds
   */
  static long nanosWithoutJit() {
    if (!Files.isDirectory(TASKS)) {
      return OS.getProcessCpuTime();
    }
    long total = 0;
    try (Stream<Path> tasks = Files.list(TASKS)) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String name = Files.readString(t.resolve("comm"));
          if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            continue;
          }
          String stat = Files.readString(t.resolve("schedstat"));
          total += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile: its time is lost to both ends of the measurement alike
        }
      }
    } catch (IOException e) {
      return OS.getProcessCpuTime();
    }
    return total;
  }
}
