package dev.beckon.examples.cli;

import dev.beckon.store.TableMissingException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code beckon}: the operator's command line for Beckon stores and sends.
 *
 * <p>Exit codes: {@code 0} success; {@code 1} the operation failed or was incomplete (a store
 * error, some sends not delivered); {@code 2} bad usage, configuration or input (nothing was
 * written); {@code 3} the reference asked for does not exist.
 */
@Command(
    name = "beckon",
    mixinStandardHelpOptions = true,
    version = "beckon 0.1.0-SNAPSHOT",
    description = "Operate Beckon reference stores: list, show, delete, import, export, migrate, send, broadcast.",
    subcommands = {
      RefsCommand.class,
      ImportCommand.class,
      ExportCommand.class,
      MigrateCommand.class,
      SendCommand.class,
      BroadcastCommand.class,
      CommandLine.HelpCommand.class
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
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: try 'beckon --help'");
  }

  /**
   * Runs the command line.
   *
   * @param args arguments
   */
  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs a command with the given output streams.
   *
   * @param args arguments
   * @param out standard output
   * @param err standard error
   * @return the exit code
   */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new BeckonCli());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExitCodeExceptionMapper(e -> e instanceof CliFailure f ? f.exitCode() : BAD_INPUT);
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      int code = e instanceof CliFailure f ? f.exitCode() : FAILED;
      commandLine.getErr().println("beckon: " + oneLine(e) + (e instanceof TableMissingException ? CREATE_HINT : ""));
      return code;
    });
    return cl.execute(args);
  }

  /** A store's missing-table message names its Java method; on the command line it is a URI option. */
  static final String CREATE_HINT =
      " (from the CLI: add #create to a jdbc: URI, ;Create=true to azure-table:, &create=true to dynamodb:)";

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
