package io.soulgraph.relay.cli;

import io.soulgraph.relay.Relay;
import picocli.CommandLine.IVersionProvider;

/** The relay's version, from the jar manifest ("dev" when run from classes). */
public final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = Relay.class.getPackage().getImplementationVersion();
    return new String[] {"soulgraph-relay " + (version == null ? "dev" : version)};
  }
}
