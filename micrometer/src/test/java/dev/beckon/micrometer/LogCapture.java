package dev.beckon.micrometer;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Every log line of a test, with the MDC it was logged with (logback, the test binding). */
final class LogCapture implements AutoCloseable {

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root;

  LogCapture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    appender.setContext(context);
    appender.start();
    root.addAppender(appender);
  }

  List<ILoggingEvent> events() {
    synchronized (appender) {
      return List.copyOf(appender.list);
    }
  }

  /** Each line as the console shows it, with its MDC and any exception's messages. */
  List<String> lines() {
    return events().stream()
        .map(
            e -> {
              StringBuilder sb =
                  new StringBuilder(e.getFormattedMessage())
                      .append(' ')
                      .append(e.getMDCPropertyMap());
              for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                sb.append(' ').append(t.getMessage());
              }
              return sb.toString();
            })
        .toList();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
