package io.soulgraph.relay.gun;

import java.util.concurrent.ThreadLocalRandom;

/** Fresh message ids like gun's: 9 random characters from {@code [0-9A-Za-z]}. */
public final class MessageIds {

  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final int LENGTH = 9;

  private MessageIds() {}

  /** A new random id. */
  public static String next() {
    return random(LENGTH);
  }

  /** {@code length} random characters from {@code [0-9A-Za-z]}. */
  public static String random(int length) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] id = new char[length];
    for (int i = 0; i < length; i++) {
      id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new String(id);
  }
}
