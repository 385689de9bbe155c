package io.soulgraph.relay.cli;

import io.soulgraph.relay.Relay;
import io.soulgraph.relay.StartupException;
import io.soulgraph.relay.config.RelayConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * {@code soulgraph} on the command line: parses options, starts the relay, and on SIGTERM (or
 * Ctrl-C) drains it: stop accepting, commit pending puts, close the store. A failure to start is
 * one line on stderr and a non-zero exit (Jetty and JanusGraph threads would otherwise keep a
 * broken JVM alive); {@code --verbose} adds the stack trace.
 *
 * <p>A thread that dies of a {@link VirtualMachineError} (out of memory, stack overflow) halts
 * the process with {@link #FATAL_EXIT}, as {@code -XX:+ExitOnOutOfMemoryError} does (bin/soulgraph
 * passes it too): a relay that cannot allocate cannot commit, so it must not live on serving
 * errors. A supervisor restarts it; every acked put was committed (fsynced) before its ack.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  /** The exit status after a fatal JVM error (what a supervisor sees). */
  static final int FATAL_EXIT = 3;

  private Main() {}

  public static void main(String[] args) {
    Thread.setDefaultUncaughtExceptionHandler(Main::uncaught);
    try {
      System.exit(run(args, System.getenv()));
    } catch (Throwable failure) {
      System.exit(failed(failure, hasFlag(args, "--verbose"), System.err));
    }
  }

  private static void uncaught(Thread thread, Throwable failure) {
    if (failure instanceof VirtualMachineError) {
      try {
        LOG.error("Fatal error in thread {}: exiting so that a supervisor restarts the relay",
            thread.getName(), failure);
      } finally {
        Runtime.getRuntime().halt(FATAL_EXIT);
      }
    }
    LOG.error("Uncaught exception in thread {}", thread.getName(), failure);
  }

  /**
   * Reports a failure to start as one line on stderr ({@code soulgraph: what; how to fix}), with
   * the stack trace only when asked for; returns the exit code.
   */
  static int failed(Throwable failure, boolean verbose, java.io.PrintStream err) {
    if (failure instanceof StartupException) {
      err.println("soulgraph: " + failure.getMessage());
    } else {
      LOG.debug("Soulgraph relay failed", failure);
      err.println(
          "soulgraph: failed: "
              + failure
              + (verbose ? "" : " (run with --verbose for the stack trace)"));
    }
    if (verbose) {
      failure.printStackTrace(err);
    }
    return 1;
  }

  private static boolean hasFlag(String[] args, String flag) {
    for (String arg : args) {
      if (arg.equals(flag)) {
        return true;
      }
    }
    return false;
  }

  static int run(String[] args, Map<String, String> env) throws InterruptedException {
    RelayCommand command = new RelayCommand();
    CommandLine cli = new CommandLine(command);
    cli.setDefaultValueProvider(
        new EnvironmentDefaults(env, EnvironmentDefaults.load(configPath(args, env))));
    CommandLine.ParseResult parsed;
    try {
      parsed = cli.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      System.err.println("soulgraph: " + e.getMessage() + " (soulgraph --help lists the options)");
      return 2;
    }
    if (CommandLine.printHelpIfRequested(parsed)) {
      return 0;
    }
    RelayConfig config;
    try {
      config = command.toConfig();
    } catch (IllegalArgumentException e) { // an option's value out of range or unknown
      System.err.println("soulgraph: " + e.getMessage() + " (soulgraph --help lists the options)");
      return 2;
    }
    HeapAtRest.apply();
    Relay relay = Relay.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  relay.close();
                  ClassSharingArchive.writeIfAsked();
                  stopped.countDown();
                },
                "soulgraph-shutdown"));
    stopped.await();
    return 0;
  }

  private static Path configPath(String[] args, Map<String, String> env) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith("--config=")) {
        return Path.of(args[i].substring("--config=".length()));
      }
    }
    String fromEnv = env.get("SOULGRAPH_CONFIG");
    return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
  }
}
