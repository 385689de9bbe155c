package io.soulgraph.relay.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The OS application-data directory, where the relay keeps its data unless told otherwise. */
public final class DataDirs {

  private static final String APP = "soulgraph";

  private DataDirs() {}

  /**
   * Linux and other Unix: {@code $XDG_CONFIG_HOME/soulgraph} or {@code ~/.config/soulgraph};
   * macOS: {@code ~/Library/Application Support/soulgraph}; Windows: {@code %APPDATA%\soulgraph}.
   */
  public static Path defaultDir(String osName, Map<String, String> env, String userHome) {
    String os = osName.toLowerCase(Locale.ROOT);
    if (os.startsWith("windows")) {
      String appData = env.get("APPDATA");
      return appData != null && !appData.isBlank()
          ? Path.of(appData, APP)
          : Path.of(userHome, "AppData", "Roaming", APP);
    }
    if (os.startsWith("mac")) {
      return Path.of(userHome, "Library", "Application Support", APP);
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    return xdg != null && !xdg.isBlank() ? Path.of(xdg, APP) : Path.of(userHome, ".config", APP);
  }

  /** The default directory of this machine. */
  public static Path defaultDir() {
    return defaultDir(System.getProperty("os.name"), System.getenv(), System.getProperty("user.home"));
  }
}
