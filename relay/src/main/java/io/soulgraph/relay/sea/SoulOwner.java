package io.soulgraph.relay.sea;

import java.util.regex.Pattern;

/**
 * Which public key owns a soul, by SEA's rule (docs/gun-protocol.md §7, docs/user-space.md): the text between the
 * first and second {@code ~}, split on any character outside {@code [A-Za-z0-9_-]}; if that gives
 * at least two parts and the first does not start with {@code @}, the owner is {@code
 * part1.part2}. So {@code ~X.Y}, {@code ~X.Y/profile} and {@code posts~X.Y} are all owned by
 * {@code X.Y}. Reproduced exactly (including JavaScript's split keeping empty parts) so that our
 * relay and GunDB agree on which souls are signed.
 */
public final class SoulOwner {

  private static final Pattern NOT_KEY_CHAR = Pattern.compile("[^\\w_-]");

  private SoulOwner() {}

  /** The owner's pub ({@code x.y}), or null if the soul is not in anyone's user space. */
  public static String of(String soul) {
    String[] byTilde = soul.split("~", -1);
    if (byTilde.length < 2 || byTilde[1].isEmpty()) {
      return null;
    }
    String[] parts = NOT_KEY_CHAR.split(byTilde[1], -1);
    if (parts.length < 2 || parts[0].startsWith("@")) {
      return null;
    }
    return parts[0] + "." + parts[1];
  }

  /** True for {@code ~<pub>} itself, the account node whose {@code pub} field is unsigned. */
  public static boolean isAccount(String soul, String owner) {
    return soul.length() == owner.length() + 1 && soul.startsWith("~") && soul.endsWith(owner);
  }
}
