package dev.beckon.cli;

import dev.beckon.auth.Cloud;
import dev.beckon.broadcast.RateLimit;
import dev.beckon.broadcast.RateProfile;
import dev.beckon.store.ListQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The CLI's option types: each converter turns the text into a checked value, with the check of the
 * core type the value becomes where there is one, so that a bad value is a usage error (picocli
 * reports {@code Invalid value for option '--x': ...}, exit {@link BeckonCli#BAD_INPUT}) before
 * anything is opened or written.
 */
final class OptionTypes {

  private OptionTypes() {}

  private static long number(String text) {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' is not a whole number");
    }
  }

  private static int intNumber(String text) {
    long n = number(text);
    if (n != (int) n) {
      throw new TypeConversionException("'" + text + "' is out of range");
    }
    return (int) n;
  }

  /** A count that may be 0 (meaning "all" where the option says so), never negative. */
  static final class Count implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      long n = number(value);
      if (n < 0) {
        throw new TypeConversionException("'" + value + "' is negative; give 0 or more");
      }
      return n;
    }
  }

  /** A page size, checked by {@link ListQuery#withPageSize}. */
  static final class PageSize implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n = intNumber(value);
      try {
        ListQuery.all().withPageSize(n);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
      return n;
    }
  }

  /** Sends in flight, checked by {@link RateProfile#withMaxConcurrency}. */
  static final class Concurrency implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n = intNumber(value);
      try {
        RateProfile.teams().withMaxConcurrency(n);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
      return n;
    }
  }

  /**
   * {@code 500ms}, {@code 30s}, {@code 15m}, {@code 24h}, {@code 7d}, or ISO-8601 ({@code PT1H}).
   */
  private static final java.util.regex.Pattern SHORT_DURATION =
      java.util.regex.Pattern.compile("([0-9]{1,12})(ms|s|m|h|d)");

  /**
   * Reads a duration and checks its range.
   *
   * @param text as given
   * @param min the shortest allowed
   * @param max the longest allowed
   * @return the duration
   * @throws TypeConversionException naming what was wrong and how to write one
   */
  static Duration duration(String text, Duration min, Duration max) {
    String t = text.strip();
    Duration d;
    java.util.regex.Matcher m = SHORT_DURATION.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
    } else {
      try {
        d = t.length() > 40 ? null : Duration.parse(t);
      } catch (java.time.format.DateTimeParseException e) {
        d = null;
      }
    }
    if (d == null) {
      throw new TypeConversionException(
          "'"
              + (t.length() > 40 ? t.substring(0, 40) + "..." : t)
              + "' is not a duration: write a whole number and a unit (500ms, 30s, 15m, 24h, 7d)"
              + " or ISO-8601 (PT1H)");
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new TypeConversionException(
          "'" + t + "' is out of range: give " + words(min) + " to " + words(max));
    }
    return d;
  }

  static String words(Duration d) {
    return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }

  /** How old an ended delivery must be for {@code deliveries purge}: 0 s to 10 years. */
  static final class Age implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return duration(value, Duration.ZERO, Duration.ofDays(3650));
    }
  }

  /** A worker's claim lease: 1 s to 1 h, as {@code DeliveryWorker.Builder#lease} takes it. */
  static final class Lease implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return duration(value, Duration.ofSeconds(1), Duration.ofHours(1));
    }
  }

  /** How long a stopping worker waits for its sends in flight, or runs: 0 s to 1 day. */
  static final class Grace implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return duration(value, Duration.ZERO, Duration.ofDays(1));
    }
  }

  /** A delivery listing's page size: 1 to the queues' most. */
  static final class ListLimit implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      long n = number(value);
      int max = dev.beckon.delivery.spi.AbstractDeliveryQueue.MAX_LIST;
      if (n < 1 || n > max) {
        throw new TypeConversionException("'" + value + "' is out of range: give 1 to " + max);
      }
      return (int) n;
    }
  }

  /** A worker's sends in flight: 1 to 1000, as {@code DeliveryWorker.Builder#concurrency}. */
  static final class WorkerConcurrency implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      long n = number(value);
      if (n < 1 || n > 1000) {
        throw new TypeConversionException("'" + value + "' is out of range: give 1 to 1000");
      }
      return (int) n;
    }
  }

  /** A cloud by name, as {@link Cloud#named} takes it. */
  static final class CloudName implements ITypeConverter<Cloud> {
    @Override
    public Cloud convert(String value) {
      try {
        return Cloud.named(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** Sends per second, a {@link RateLimit} over one second (at least 1). */
  static final class PerSecond implements ITypeConverter<RateLimit> {
    @Override
    public RateLimit convert(String value) {
      try {
        return RateLimit.of(intNumber(value), Duration.ofSeconds(1));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' sends per second: " + e.getMessage());
      }
    }
  }

  /** A file to create: its folder must exist (the file itself may). */
  static final class NewFile implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
      Path p;
      try {
        p = Path.of(value);
      } catch (java.nio.file.InvalidPathException e) {
        throw new TypeConversionException("'" + value + "' is not a valid path: " + e.getReason());
      }
      Path dir = p.toAbsolutePath().getParent();
      if (dir == null || !Files.isDirectory(dir)) {
        throw new TypeConversionException("the folder " + dir + " does not exist");
      }
      if (Files.isDirectory(p)) {
        throw new TypeConversionException(value + " is a folder; give a file name");
      }
      return p;
    }
  }
}
