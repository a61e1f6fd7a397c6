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
