package io.soulgraph.relay.gremlin;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.tinkerpop.gremlin.server.auth.AuthenticatedUser;
import org.apache.tinkerpop.gremlin.server.auth.AuthenticationException;
import org.apache.tinkerpop.gremlin.server.auth.Authenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gremlin Server authentication against a file of {@code user:password} lines ({@code #} starts a
 * comment), over SASL PLAIN: what {@code Cluster.build().credentials(...)}, gremlinpython's
 * {@code username=/password=} and gremlin-javascript's {@code PlainTextSaslAuthenticator} send.
 * Passwords are compared in constant time.
 */
public final class CredentialsFileAuthenticator implements Authenticator {

  static final String FILE_KEY = "credentialsFile";
  private static final Logger LOG = LoggerFactory.getLogger(CredentialsFileAuthenticator.class);
  private static final String WRONG = "Username and/or password are incorrect";

  private Map<String, byte[]> passwordDigests = Map.of();

  @Override
  public boolean requireAuthentication() {
    return true;
  }

  @Override
  public void setup(Map<String, Object> config) {
    Path file = Path.of(String.valueOf(config.get(FILE_KEY)));
    passwordDigests = read(file);
    warnIfOthersCanRead(file);
  }

  /** The users of {@code file}, checked: at least one, each line {@code user:password}. */
  static Map<String, byte[]> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot read the Gremlin credentials file " + file + ": " + e.getMessage(), e);
    }
    Map<String, byte[]> users = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || colon == line.length() - 1) {
        throw new IllegalArgumentException("Expected user:password on line " + (i + 1) + " of "
            + file + " but found no user or no password");
      }
      users.put(line.substring(0, colon), digest(line.substring(colon + 1)));
    }
    if (users.isEmpty()) {
      throw new IllegalArgumentException(
          "The Gremlin credentials file " + file + " names no user (expected user:password lines)");
    }
    return Map.copyOf(users);
  }

  private static void warnIfOthersCanRead(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.contains(PosixFilePermission.OTHERS_READ)
          || permissions.contains(PosixFilePermission.GROUP_READ)) {
        LOG.warn("The Gremlin credentials file {} is readable by other users; chmod 600 it", file);
      }
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("Cannot check the permissions of {}", file, e);
    }
  }

  @Override
  public SaslNegotiator newSaslNegotiator(InetAddress remoteAddress) {
    return new PlainNegotiator();
  }

  @Override
  public AuthenticatedUser authenticate(Map<String, String> credentials)
      throws AuthenticationException {
    String user = credentials.get("username");
    String password = credentials.get("password");
    if (user == null || password == null) {
      throw new AuthenticationException(WRONG);
    }
    byte[] expected = passwordDigests.get(user);
    byte[] given = digest(password);
    boolean matches = MessageDigest.isEqual(expected == null ? new byte[given.length] : expected,
        given);
    if (expected == null || !matches) {
      throw new AuthenticationException(WRONG);
    }
    return new AuthenticatedUser(user);
  }

  private static byte[] digest(String password) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SASL PLAIN (RFC 4616): {@code [authzid] NUL authcid NUL passwd}. */
  private final class PlainNegotiator implements SaslNegotiator {

    private AuthenticatedUser user;
    private AuthenticationException failure;

    @Override
    public byte[] evaluateResponse(byte[] response) {
      int second = lastNul(response, response.length);
      int first = second <= 0 ? -1 : lastNul(response, second);
      if (second < 0 || first < 0 && second == 0) {
        failure = new AuthenticationException("Expected SASL PLAIN credentials");
        return null;
      }
      String name = new String(
          Arrays.copyOfRange(response, first + 1, second), StandardCharsets.UTF_8);
      String password = new String(
          Arrays.copyOfRange(response, second + 1, response.length), StandardCharsets.UTF_8);
      try {
        user = authenticate(Map.of("username", name, "password", password));
      } catch (AuthenticationException e) {
        failure = e;
      }
      return null;
    }

    @Override
    public boolean isComplete() {
      return user != null || failure != null;
    }

    @Override
    public AuthenticatedUser getAuthenticatedUser() throws AuthenticationException {
      if (user == null) {
        throw failure != null ? failure : new AuthenticationException("Not authenticated");
      }
      return user;
    }

    private static int lastNul(byte[] bytes, int before) {
      for (int i = before - 1; i >= 0; i--) {
        if (bytes[i] == 0) {
          return i;
        }
      }
      return -1;
    }
  }
}
