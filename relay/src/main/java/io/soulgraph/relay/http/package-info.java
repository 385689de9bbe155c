/** The relay's Javalin server: {@code /gun}, status routes, static files. */
package io.soulgraph.relay.http;
