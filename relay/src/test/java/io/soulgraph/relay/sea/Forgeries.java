package io.soulgraph.relay.sea;

import io.soulgraph.ham.JsJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * A generated corpus of SEA forgeries against one victim's user space, each with the error GunDB
 * (or, for alias hijack, our relay) answers, plus the valid writes they were derived from. Seeded,
 * so a failure reproduces.
 */
public final class Forgeries {

  /**
   * One write of one field.
   *
   * @param kind what the forgery does
   * @param valueJson the field's value as JSON text on the wire
   * @param expectedError the error it must get, or null for a valid write
   */
  public record Write(
      String kind, String soul, String key, String valueJson, double state, String expectedError) {}

  private final TestKeys victim = TestKeys.generate();
  private final TestKeys attacker = TestKeys.generate();
  private final TestKeys bystander = TestKeys.generate();
  private final Random random;
  private final double baseState;

  public Forgeries(long seed, double baseState) {
    this.random = new Random(seed);
    this.baseState = baseState;
  }

  /** The victim's pub (its account soul is {@code ~pub}). */
  public String victimPub() {
    return victim.pub();
  }

  /** The victim's alias-list claim, valid: {@code ~@alias} with {@code ~pub: {#: ~pub}}. */
  public Write aliasClaim(String alias) {
    String account = "~" + victim.pub();
    return new Write("alias-claim", "~@" + alias, account, link(account), baseState, null);
  }

  /** {@code rounds} valid signed writes into the victim's space. */
  public List<Write> valid(int rounds) {
    List<Write> writes = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      String soul = soulOf(i);
      String key = "field" + i;
      String value = value(i);
      double state = baseState + i;
      writes.add(new Write("valid", soul, key, envelope(victim, soul, key, value, state), state, null));
    }
    return writes;
  }

  /**
   * {@code rounds} valid writes into the victim's space by another key under the victim's
   * certificate (keys starting with "f", until well after the writes' states).
   */
  public List<Write> certified(int rounds) {
    String cert = victim.certificate("{\"c\":" + JsJson.quote(bystander.pub())
        + ",\"e\":" + JsJson.number(baseState + 1_000_000) + ",\"w\":{\".\":{\"*\":\"f\"}}}");
    List<Write> writes = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      String soul = soulOf(i);
      String key = "f" + i;
      String value = value(i);
      double state = baseState + 2000 + i;
      writes.add(new Write("certified", soul, key,
          JsJson.quote(bystander.certifiedEnvelope(soul, key, value, state, cert)), state, null));
    }
    return writes;
  }

  /** {@code rounds} forgeries of each kind (21 kinds). */
  public List<Write> forged(int rounds, String victimAlias) {
    List<Write> writes = new ArrayList<>();
    String unverified = UserSpaceValidator.UNVERIFIED;
    String account = "~" + victim.pub();
    for (int i = 0; i < rounds; i++) {
      String soul = soulOf(i);
      String key = "f" + i;
      String value = value(i);
      double state = baseState + 1000 + i;
      String signature = victim.signature(soul, key, value, state);
      writes.add(new Write("unsigned", soul, key, value, state, unverified));
      writes.add(new Write("bad-signature", soul, key,
          wire(value, TestKeys.flipByte(signature, random.nextInt(64))), state,
          unverified));
      writes.add(new Write("other-users-key", soul, key,
          envelope(attacker, soul, key, value, state), state, unverified));
      writes.add(new Write("replay-other-field", soul, key + "x",
          wire(value, signature), state, unverified));
      writes.add(new Write("replay-other-state", soul, key,
          wire(value, signature), state + 1 + random.nextInt(1000), unverified));
      writes.add(new Write("replay-other-soul", soulOf(i + 1) + "/elsewhere", key,
          wire(value, signature), state, unverified));
      writes.add(new Write("tampered-value", soul, key,
          wire(JsJson.quote("evil" + i), signature), state, unverified));
      String linkTarget = link(account + "/profile" + i);
      String linkSignature = victim.signature(soul, key, linkTarget, state);
      writes.add(new Write("tampered-link", soul, key,
          wire(link("~" + attacker.pub() + "/profile" + i), linkSignature), state,
          unverified));
      writes.add(new Write("legacy", soul, key,
          JsJson.quote("SEA{\"m\":" + JsJson.quote(value) + ",\"s\":" + JsJson.quote(signature) + "}"),
          state, unverified));
      writes.add(new Write("malformed-envelope", soul, key, malformed(i, value, signature), state,
          unverified));
      writes.add(new Write("oversized-envelope", soul, key,
          wire(JsJson.quote("x".repeat(20_000 + i)), signature), state, unverified));
      writes.add(new Write("wrong-pub", account, "pub",
          JsJson.quote(i % 2 == 0 ? attacker.pub() : victim.pub() + "x"), state,
          UserSpaceValidator.ACCOUNT_NOT_SAME));
      String hijacker = "~" + attacker.pub();
      writes.add(i % 2 == 0
          ? new Write("alias-hijack", "~@" + victimAlias, hijacker, link(hijacker), state,
              UserSpaceValidator.ALIAS_TAKEN)
          : new Write("alias-tampered-link", "~@" + victimAlias, account, link(hijacker), state,
              UserSpaceValidator.ALIAS_NOT_SAME));
      String text = "content " + i;
      writes.add(new Write("hash-mismatch", "#", sha256Base64(text), JsJson.quote(text + "!"),
          state, UserSpaceValidator.HASH_NOT_SAME));
      certificateForgeries(writes, soul, key, value, state);
    }
    return writes;
  }

  /**
   * Writes by the attacker into the victim's space with a certificate that must not let them:
   * none, one the attacker signed, one naming someone else, one tampered with, one for other
   * keys, one expired before the field's state.
   */
  private void certificateForgeries(
      List<Write> writes, String soul, String key, String value, double state) {
    String fail = CertificatePolicy.FAIL;
    String coversKey = "{\".\":{\"*\":\"f\"}}";
    String otherKeys = "{\".\":{\"*\":\"zz\"}}";
    String forAttacker = "{\"c\":" + JsJson.quote(attacker.pub()) + ",\"w\":";
    String missing = "{\":\":" + value + ",\"~\":"
        + JsJson.quote(attacker.signature(soul, key, value, state))
        + ",\"*\":" + JsJson.quote(attacker.pub()) + "}";
    writes.add(new Write("cert-missing", soul, key, JsJson.quote(missing), state, fail));
    writes.add(new Write("cert-self-signed", soul, key, certified(soul, key, value, state,
        attacker.certificate(forAttacker + coversKey + "}")), state, fail));
    writes.add(new Write("cert-other-certificant", soul, key, certified(soul, key, value, state,
        victim.certificate("{\"c\":" + JsJson.quote(bystander.pub()) + ",\"w\":" + coversKey + "}")),
        state, fail));
    writes.add(new Write("cert-tampered", soul, key, certified(soul, key, value, state,
        victim.certificate(forAttacker + otherKeys + "}").replace("\"zz\"", "\"f\"")), state, fail));
    writes.add(new Write("cert-out-of-scope", soul, key, certified(soul, key, value, state,
        victim.certificate(forAttacker + otherKeys + "}")), state, fail));
    writes.add(new Write("cert-expired", soul, key, certified(soul, key, value, state,
        victim.certificate(forAttacker + coversKey + ",\"e\":" + JsJson.number(state - 1) + "}")),
        state, CertificatePolicy.EXPIRED));
  }

  private String certified(String soul, String key, String value, double state, String cert) {
    return JsJson.quote(attacker.certifiedEnvelope(soul, key, value, state, cert));
  }

  private String malformed(int i, String value, String signature) {
    String quotedSignature = JsJson.quote(signature);
    String[] shapes = {
      "{\":\":" + value + "}",
      "{\"~\":" + quotedSignature + "}",
      "{\":\":" + value + ",\"~\":42}",
      "{\":\":" + value + ",\"~\":\"not base64!\"}",
      "{\":\":" + value + ",\"~\":\"" + Base64.getEncoder().encodeToString(new byte[63]) + "\"}",
      "[" + value + "," + quotedSignature + "]",
      "{\":\":" + value + ",\"~\":" + quotedSignature,
      "",
      "null",
      "{\":\":" + value + ",\"~\":" + quotedSignature + ",\"*\":" + JsJson.quote(attacker.pub()) + "}",
    };
    String envelope = shapes[i % shapes.length];
    return JsJson.quote(envelope);
  }

  private String soulOf(int i) {
    String account = "~" + victim.pub();
    return switch (i % 3) {
      case 0 -> account;
      case 1 -> account + "/profile";
      default -> "posts" + account + "/" + i;
    };
  }

  private String value(int i) {
    return switch (i % 5) {
      case 0 -> JsJson.quote("text " + i + " ünï \u2028 \"q\"");
      case 1 -> JsJson.number(i * 1.5 + 0.1);
      case 2 -> i % 2 == 0 ? "true" : "false";
      case 3 -> "null";
      default -> link("~" + victim.pub() + "/n" + i);
    };
  }

  private static String envelope(TestKeys keys, String soul, String key, String value, double state) {
    return JsJson.quote(keys.envelope(soul, key, value, state));
  }

  /** An envelope's wire form: the JSON string holding it. */
  private static String wire(String valueJson, String signature) {
    return JsJson.quote(TestKeys.envelopeOf(valueJson, signature));
  }

  static String link(String soul) {
    return "{\"#\":" + JsJson.quote(soul) + "}";
  }

  static String sha256Base64(String text) {
    try {
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
