package io.soulgraph.relay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class DataDirsTest {

  @Test
  void defaultDir_linuxWithXdg_usesXdgConfigHome() {
    assertEquals(
        Path.of("/x/cfg", "soulgraph"),
        DataDirs.defaultDir("Linux", Map.of("XDG_CONFIG_HOME", "/x/cfg"), "/home/u"));
  }

  @Test
  void defaultDir_linuxWithoutXdg_usesDotConfig() {
    assertEquals(
        Path.of("/home/u", ".config", "soulgraph"), DataDirs.defaultDir("Linux", Map.of(), "/home/u"));
  }

  @Test
  void defaultDir_mac_usesApplicationSupport() {
    assertEquals(
        Path.of("/Users/u", "Library", "Application Support", "soulgraph"),
        DataDirs.defaultDir("Mac OS X", Map.of(), "/Users/u"));
  }

  @Test
  void defaultDir_windows_usesAppData() {
    assertEquals(
        Path.of("C:\\Users\\u\\AppData\\Roaming", "soulgraph"),
        DataDirs.defaultDir("Windows 11", Map.of("APPDATA", "C:\\Users\\u\\AppData\\Roaming"), "C:\\Users\\u"));
  }
}
