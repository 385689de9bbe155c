package io.soulgraph.relay.cli;

import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * {@code soulgraph} on the command line: parses options, starts the relay, and on SIGTERM (or
 * Ctrl-C) drains it: stop accepting, commit pending puts, close the store. Any failure is logged
 * and exits non-zero (Jetty and JanusGraph threads would otherwise keep a broken JVM alive).
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    try {
      System.exit(run(args, System.getenv()));
    } catch (Throwable failure) {
      LOG.error("Soulgraph relay failed", failure);
      System.exit(1);
    }
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
      System.err.println(e.getMessage());
      cli.usage(System.err);
      return 2;
    }
    if (CommandLine.printHelpIfRequested(parsed)) {
      return 0;
    }
    RelayConfig config;
    try {
      config = command.toConfig();
    } catch (IllegalArgumentException e) {
      System.err.println("soulgraph: " + e.getMessage());
      return 2;
    }
    Relay relay = Relay.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  relay.close();
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
