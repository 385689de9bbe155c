package io.soulgraph.relay.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from the environment ({@code SOULGRAPH_PORT} for {@code --port}), then from a
 * properties file ({@code port=8765}); null leaves the option's own default.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {

  private final Map<String, String> env;
  private final Properties file;

  EnvironmentDefaults(Map<String, String> env, Properties file) {
    this.env = env;
    this.file = file;
  }

  /** Loads the properties file, or none if {@code path} is null. */
  static Properties load(Path path) {
    Properties properties = new Properties();
    if (path == null) {
      return properties;
    }
    try (Reader reader = Files.newBufferedReader(path)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException("Expected a readable config file but could not read " + path, e);
    }
    return properties;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option)) {
      return null;
    }
    String name = option.longestName().replaceFirst("^--", "");
    String fromEnv = env.get("SOULGRAPH_" + name.replace('-', '_').toUpperCase(Locale.ROOT));
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    return file.getProperty(name);
  }
}
