/** The {@code soulgraph} command line (picocli): {@link io.soulgraph.relay.cli.Main}. */
package io.soulgraph.relay.cli;
