package io.s3csi.launcher;

import java.io.PrintWriter;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code s3csi} command: the CSI driver ({@code s3csi driver}), the bare-host commands ({@code
 * s3csi mount}, {@code unmount}, {@code list}), a self-contained demo ({@code s3csi demo}) and
 * shell completion ({@code s3csi completion}).
 *
 * <p>Exit codes: {@value #EXIT_OK} on success, {@value #EXIT_FAILURE} when the command fails at run
 * time (a one-line message on standard error says why), {@value #EXIT_USAGE} for a bad command line
 * or a setting this build cannot serve (a one-line message names the flag).
 */
@Command(
    name = "s3csi",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "A Kubernetes CSI driver that mounts S3 buckets through FUSE clients.")
public final class S3csi implements Runnable {

  /** Exit code of a command that succeeded. */
  public static final int EXIT_OK = 0;

  /** Exit code of a command that failed at run time. */
  public static final int EXIT_FAILURE = 1;

  /** Exit code of a bad command line or an unusable setting. */
  public static final int EXIT_USAGE = 2;

  private static final Logger LOG = System.getLogger(S3csi.class.getName());

  private static final String DRIVER = "driver";

  /** The commands, in the order {@code s3csi --help} lists them. */
  private static final List<Supplier<Object>> COMMANDS =
      List.of(
          DriverCommand::new,
          MountCommand::new,
          UnmountCommand::new,
          ListCommand::new,
          DemoCommand::new,
          CompletionCommand::new);

  @Spec CommandSpec spec;

  S3csi() {}

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "a command is required: one of " + spec.subcommands().keySet());
  }

  /**
   * Runs {@code s3csi} and exits with its exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    Charset charset = Charset.defaultCharset();
    PrintWriter out = new PrintWriter(System.out, true, charset);
    PrintWriter err = new PrintWriter(System.err, true, charset);
    System.exit(execute(out, err, args));
  }

  /**
   * Runs {@code s3csi} in this JVM, writing to the given streams, and returns its exit code. Used
   * by {@link #main} and by tests.
   *
   * @param out standard output (help, version, the demo's narrative)
   * @param err standard error (one-line error messages)
   * @param args the command line
   * @return {@link #EXIT_OK}, {@link #EXIT_FAILURE} or {@link #EXIT_USAGE}
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine =
        args.length > 0 && args[0].equals(DRIVER)
            ? commandLine(List.of(DriverCommand::new))
            : commandLine();
    commandLine.setOut(out);
    commandLine.setErr(err);
    return commandLine.execute(args);
  }

  /** The command line with every command. */
  static CommandLine commandLine() {
    return commandLine(COMMANDS);
  }

  /**
   * The command line with the given commands only. picocli reflects over every command it is given
   * when it is built, and its classes (Java 5 class files) cannot go into a class-data sharing
   * archive: {@code s3csi driver}, which a node starts on every boot and upgrade, is built alone.
   */
  private static CommandLine commandLine(List<Supplier<Object>> commands) {
    CommandLine commandLine = new CommandLine(new S3csi());
    commands.forEach(command -> commandLine.addSubcommand(command.get()));
    commandLine.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine failed = ex.getCommandLine();
          failed.getErr().println(usageLine(ex));
          failed.getErr().flush();
          return EXIT_USAGE;
        });
    commandLine.setExecutionExceptionHandler(
        (ex, failed, parseResult) -> {
          CommandSpec command = failed.getCommandSpec();
          if (ex instanceof ConfigurationException) {
            failed.getErr().println(usageLine(command, ex.getMessage()));
            failed.getErr().flush();
            return EXIT_USAGE;
          }
          LOG.log(Level.DEBUG, "command failed", ex);
          failed.getErr().println(command.qualifiedName() + ": " + describe(ex));
          failed.getErr().flush();
          return EXIT_FAILURE;
        });
    return commandLine;
  }

  private static String usageLine(ParameterException failure) {
    String line = failure.getMessage() == null ? "invalid command line" : failure.getMessage();
    if (failure instanceof UnmatchedArgumentException unmatched
        && !unmatched.getSuggestions().isEmpty()) {
      line += "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
    }
    return usageLine(failure.getCommandLine().getCommandSpec(), line);
  }

  private static String usageLine(CommandSpec command, String message) {
    String line =
        message == null ? "invalid command line" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    String prefix = command.qualifiedName() + ": ";
    return (line.startsWith(prefix) ? "" : prefix)
        + line
        + " (see '"
        + command.qualifiedName()
        + " --help')";
  }

  /** A failure's message on one line. */
  static String describe(Throwable failure) {
    String text;
    if (failure instanceof FileSystemException fs) {
      text =
          fs.getFile()
              + (fs.getOtherFile() == null ? "" : " -> " + fs.getOtherFile())
              + ": "
              + (fs.getReason() != null ? fs.getReason() : reason(fs));
    } else if (failure.getMessage() == null || failure.getMessage().isBlank()) {
      text =
          failure.getCause() != null
              ? describe(failure.getCause())
              : failure.getClass().getSimpleName();
    } else {
      text = failure.getMessage();
    }
    return text.strip().replaceAll("\\s*\\R\\s*", "; ");
  }

  private static String reason(FileSystemException failure) {
    if (failure instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (failure instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (failure instanceof FileAlreadyExistsException) {
      return "already exists";
    }
    if (failure instanceof NotDirectoryException) {
      return "not a directory";
    }
    return failure.getClass().getSimpleName();
  }
}
