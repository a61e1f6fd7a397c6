package dev.beckon.cli;

import dev.beckon.cli.config.Redactor;
import dev.beckon.store.TableMissingException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code beckon}: the operator's command line for Beckon stores and sends.
 *
 * <p>Exit codes: {@code 0} success; {@code 1} the operation failed or was incomplete (a store
 * error, some sends not delivered); {@code 2} bad usage, configuration or input (nothing was
 * written); {@code 3} the reference asked for does not exist. {@link #exitCode} is the one mapping.
 *
 * <p>Secrets: nothing the CLI prints, on either stream, contains a password, account key or
 * signature of its arguments, nor the app password ({@link Redactor}).
 */
@Command(
    name = "beckon",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Operate Beckon reference stores and delivery queues: list, show, delete, import, export,"
            + " migrate, send, broadcast; run delivery workers and inspect, cancel, retry and purge"
            + " deliveries.",
    subcommands = {
      RefsCommand.class,
      ImportCommand.class,
      ExportCommand.class,
      MigrateCommand.class,
      SendCommand.class,
      BroadcastCommand.class,
      WorkerCommand.class,
      DeliveriesCommand.class,
      CommandLine.HelpCommand.class,
      AutoComplete.GenerateCompletion.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the operation failed or was incomplete",
      "2:bad usage, configuration or input (nothing was written)",
      "3:not found"
    })
public final class BeckonCli implements Runnable {

  /** Exit code: the operation failed or was incomplete. */
  public static final int FAILED = 1;

  /** Exit code: bad usage, configuration or input. */
  public static final int BAD_INPUT = 2;

  /** Exit code: not found. */
  public static final int NOT_FOUND = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing command: try 'beckon --help'");
  }

  /**
   * Runs the command line. Standard output and standard error, library log lines included, pass
   * through the {@link Redactor}: no secret of the arguments (store URI passwords, account keys) or
   * of the app password variable is ever printed.
   *
   * @param args arguments
   */
  public static void main(String[] args) {
    Redactor redactor = redactor(args);
    System.setOut(RedactedOutput.stream(System.out, redactor));
    System.setErr(RedactedOutput.stream(System.err, redactor));
    WorkerCommand.handleSignals = true;
    int code =
        execute(
            args,
            new PrintWriter(System.out, true, Charset.defaultCharset()),
            new PrintWriter(System.err, true, Charset.defaultCharset()));
    WorkerCommand.exited(code);
    System.exit(code);
  }

  /**
   * Runs a command with the given output streams (each line written to them is redacted).
   *
   * @param args arguments
   * @param out standard output
   * @param err standard error
   * @return the exit code
   */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    Redactor redactor = redactor(args);
    CommandLine cl = new CommandLine(new BeckonCli());
    // options with a fixed set of values are enums: picocli checks them and offers them for
    // completion
    // (generate-completion); their lower-case spelling is the documented one, any case is accepted
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // the help texts' ${bundle:stores.*}: what the stores on the class path take
    cl.setResourceBundle(StoreHelp.bundle());
    cl.setOut(RedactedOutput.writer(out, redactor));
    cl.setErr(RedactedOutput.writer(err, redactor));
    cl.setParameterExceptionHandler(
        (e, arguments) -> {
          CommandLine c = e.getCommandLine();
          c.getErr().println("beckon: " + describe(e));
          CommandLine.UnmatchedArgumentException.printSuggestions(e, c.getErr());
          c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
          return exitCode(e);
        });
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine
              .getErr()
              .println("beckon: " + describe(e) + (tableMissing(e) ? CREATE_HINT : ""));
          return exitCode(e);
        });
    cl.setExitCodeExceptionMapper(BeckonCli::exitCode);
    int code;
    try {
      code = cl.execute(args);
    } catch (LinkageError e) {
      // picocli passes Errors on; a library that fails to load gets one line too, not a stack trace
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      cl.getErr().println("beckon: a library is missing or incompatible: " + root);
      code = FAILED;
    }
    cl.getOut().flush();
    cl.getErr().flush();
    return code;
  }

  /**
   * The one mapping from a failure to an exit code: {@link #BAD_INPUT} for bad usage, configuration
   * or input (picocli's parameter errors, the CLI's own checks, a store URI {@link
   * dev.beckon.cli.config.ConfiguredStore#open} refuses), the failure's own code for a {@link
   * CliFailure}, else {@link #FAILED}.
   */
  static int exitCode(Throwable e) {
    Throwable c = cause(e);
    if (c instanceof CliFailure f) {
      return f.exitCode();
    }
    return c instanceof CommandLine.ParameterException ? BAD_INPUT : FAILED;
  }

  /** A usage error (exit {@link #BAD_INPUT}), reported like picocli's own. */
  static CommandLine.ParameterException usage(CommandLine.Model.CommandSpec spec, String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /**
   * The secrets the CLI must never print: those of its arguments and the app password's variable.
   */
  static Redactor redactor(String[] args) {
    Redactor r =
        Redactor.of(List.of(args)).withSecret(System.getenv(SenderOptions.DEFAULT_PASSWORD_ENV));
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--app-password-env") && i + 1 < args.length) {
        r = r.withSecret(System.getenv(args[i + 1]));
      } else if (a.startsWith("--app-password-env=")) {
        r = r.withSecret(System.getenv(a.substring("--app-password-env=".length())));
      }
    }
    return r;
  }

  /**
   * A store's missing-table message names its Java method; on the command line it is {@code
   * --create-table} or a URI option, e.g. {@code (from the CLI: add --create-table, or #create to
   * jdbc:, ...)}: each store's own ({@link StoreHelp#createHint()}).
   */
  static final String CREATE_HINT = StoreHelp.createHint();

  /**
   * Whether a missing table is the failure or one of its causes (then the CLI says how to create
   * it).
   */
  static boolean tableMissing(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof TableMissingException) {
        return true;
      }
    }
    return false;
  }

  /**
   * The failure a wrapper (of a future, a stream, a reflective call) hides: the one unwrapping of
   * the CLI.
   */
  static Throwable cause(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException
            || t instanceof java.lang.reflect.UndeclaredThrowableException
            || t instanceof CommandLine.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The one-line message of a failure, unwrapped, in the CLI's words. */
  static String describe(Throwable e) {
    return speak(oneLine(cause(e)));
  }

  /**
   * {@code withTrustedHost("h")} in a core message means {@code --trust-host h} on the command
   * line.
   */
  private static final java.util.regex.Pattern TRUST_ADVICE =
      java.util.regex.Pattern.compile(
          "(?:TrustPolicy\\.\\w+\\(\\)\\.)?withTrustedHost\\(\"([^\"]*)\"\\)");

  /**
   * A core message in the CLI's words: the advice to call a Java method becomes the option that
   * does it ({@code withTrustedHost("h")} reads {@code --trust-host h}).
   */
  static String speak(String message) {
    return message == null
        ? null
        : TRUST_ADVICE
            .matcher(message)
            .replaceAll(
                m -> java.util.regex.Matcher.quoteReplacement("--trust-host " + m.group(1)));
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** A failure with a chosen exit code and a one-line message. */
  static final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    CliFailure(int exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }

    int exitCode() {
      return exitCode;
    }
  }
}
