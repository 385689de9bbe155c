package io.soulgraph.relay.sea;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * GunDB's SEA rules for a put graph, field by field, before anything is merged
 * (docs/user-space.md): souls in a user's space ({@link SoulOwner}) take only values signed by
 * that user, or by a user holding that user's certificate for the field; the alias
 * lists {@code ~@} and {@code ~@alias} take only self-naming links, and an alias already claimed
 * by one key cannot be claimed by another (GunDB #1193); content-addressed {@code #} souls take
 * only values whose hash is their key. Everything else passes untouched.
 *
 * <p>One validator for every way data enters the relay: the Gun WebSocket put path calls {@link
 * #verify} (crypto runs on this validator's own pool, never on a socket thread); a gossipsub
 * topic validator or a catch-up batch calls {@link #check}, which decides on the caller's thread.
 *
 * <p>Mixed puts (some fields valid, some not) keep their valid fields, as GunDB does: each field
 * carries its own signature, so a valid one is the owner's word whatever travels next to it, and
 * GunDB clients send a user's nested objects as one message. The put is answered with the first
 * error and never acked. Thread-safe.
 */
public final class UserSpaceValidator implements AutoCloseable {

  /** GunDB's reply for a field without a valid signature by the soul's owner. */
  public static final String UNVERIFIED = "Unverified data.";
  /** GunDB's reply for a {@code pub} field that is not the account's own pub. */
  public static final String ACCOUNT_NOT_SAME = "Account not same!";
  /** GunDB's reply for an alias-list entry that does not link to itself. */
  public static final String ALIAS_NOT_SAME = "Alias not same!";
  /** Our reply for a second key claiming an alias another key already holds (#1193). */
  public static final String ALIAS_TAKEN = "Alias already taken!";
  /** GunDB's reply for content-addressed data whose hash is not its key. */
  public static final String HASH_NOT_SAME = "Data hash not same as hash!";

  private static final String CERTIFICANT_PREFIX = "Certificant ";
  private static final String BLOCKED_SUFFIX = " blocked.";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int QUEUE = 4096;
  private static final int DEFAULT_MEMO = 50_000;

  /** Reads the current version of a node (the alias lists). */
  @FunctionalInterface
  public interface ExistingNodes {
    Optional<Node> node(String soul);
  }

  private final ExistingNodes existing;
  private final SeaKeys keys = new SeaKeys(100_000);
  private final Cache<String, Boolean> verified;
  private final ExecutorService pool;

  /**
   * @param existing the store's current nodes (for alias claims)
   * @param threads crypto threads (at most one per core is useful)
   */
  public UserSpaceValidator(ExistingNodes existing, int threads) {
    this(existing, threads, DEFAULT_MEMO);
  }

  /**
   * @param existing the store's current nodes (for alias claims)
   * @param threads crypto threads (at most one per core is useful)
   * @param memo how many verified signatures to remember (0: none), so that a field arriving
   *     again (gun clients resend on reconnect, peer relays relay it) is not verified twice
   */
  public UserSpaceValidator(ExistingNodes existing, int threads, int memo) {
    this.existing = existing;
    this.verified = memo > 0 ? Caffeine.newBuilder().maximumSize(memo).build() : null;
    AtomicInteger count = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> {
              Thread thread = new Thread(r, "soulgraph-sea-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** A validator with one crypto thread per core. */
  public static UserSpaceValidator withDefaultPool(ExistingNodes existing) {
    return new UserSpaceValidator(existing, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Checks a put graph. Graphs with no special soul complete at once on the caller's thread;
   * the others are checked on this validator's pool.
   *
   * @return the verdict; fails with {@link RejectedExecutionException} if the pool's queue is full
   */
  public CompletableFuture<Verdict> verify(Graph diff) {
    if (!needsChecking(diff)) {
      return CompletableFuture.completedFuture(new Verdict(diff, null, 0, false));
    }
    try {
      return CompletableFuture.supplyAsync(() -> check(diff), pool);
    } catch (RejectedExecutionException full) {
      return CompletableFuture.failedFuture(
          new RejectedExecutionException("too many signed puts are waiting for verification"));
    }
  }

  /** True if some soul of the graph is one SEA guards (user space, alias list, content hash). */
  public static boolean needsChecking(Graph diff) {
    for (String soul : diff.nodes().keySet()) {
      if (isGuarded(soul)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isGuarded(String soul) {
    return soul.startsWith("~@") || soul.indexOf('#') >= 0 || SoulOwner.of(soul) != null;
  }

  /**
   * Checks one put graph on the calling thread and returns the verdict: no thread hop, no queue,
   * no future, and no exception for hostile input. This is the entry point for callers that are
   * synchronous already, such as a libp2p gossipsub topic validator
   * ({@code io.soulgraph.libp2p.pubsub.Validator}) or a catch-up batch being applied; the Gun
   * WebSocket path uses {@link #verify} to keep crypto off its socket threads. It works whether
   * or not this validator's pool runs (even after {@link #close}).
   *
   * <p>Cost on the calling thread: graphs for which {@link #needsChecking} is false take a few
   * string tests; each signed field one ECDSA P-256 verification (BouncyCastle, 0.3–0.45 ms of a
   * core on our loaded build machine: docs/benchmarks.md) unless the same signature over the same text was verified
   * before; a certified field one more for its certificate (also remembered); an alias claim, and
   * a certificate with a block list, a read of the current node through {@link ExistingNodes}.
   *
   * <p>For gossipsub: ACCEPT when {@code !verdict.refused()}; REJECT when {@link
   * Verdict#senderAtFault()}; otherwise (only fields this relay's store refuses) IGNORE. A message
   * with some refused fields is not forwarded; its {@link Verdict#accepted()} fields may still be
   * merged locally, as the WebSocket path does with mixed puts.
   */
  public Verdict check(Graph diff) {
    Map<String, Node> accepted = new LinkedHashMap<>();
    String firstError = null;
    int refused = 0;
    boolean onlyLocalState = true;
    for (Node node : diff.nodes().values()) {
      Map<String, FieldState> kept = new LinkedHashMap<>();
      String claimedAlias = null;
      for (Map.Entry<String, FieldState> field : node.fields().entrySet()) {
        String error = checkField(node.soul(), field.getKey(), field.getValue(), claimedAlias);
        if (error == null) {
          kept.put(field.getKey(), field.getValue());
          if (isAliasList(node.soul())) {
            claimedAlias = field.getKey();
          }
        } else {
          refused++;
          onlyLocalState &= isLocalStateRefusal(error);
          if (firstError == null) {
            firstError = error;
          }
        }
      }
      if (!kept.isEmpty() || node.fields().isEmpty()) {
        accepted.put(node.soul(), new Node(node.soul(), kept));
      }
    }
    return new Verdict(refused == 0 ? diff : new Graph(accepted), firstError, refused,
        refused > 0 && onlyLocalState);
  }

  private static boolean isLocalStateRefusal(String error) {
    return error.equals(ALIAS_TAKEN)
        || (error.startsWith(CERTIFICANT_PREFIX) && error.endsWith(BLOCKED_SUFFIX));
  }

  private static boolean isAliasList(String soul) {
    return soul.startsWith("~@") && soul.length() > 2;
  }

  /** The error for one field, or null if it passes. */
  String checkField(String soul, String key, FieldState field, String claimedInThisPut) {
    Value value = field.value();
    if (soul.equals("~@")) {
      if (value.isNull()) {
        return "Data must exist!";
      }
      return value.isLink() && value.linkSoul().equals("~@" + key) ? null : ALIAS_NOT_SAME;
    }
    if (isAliasList(soul)) {
      return checkAliasClaim(soul, key, value, claimedInThisPut);
    }
    String owner = SoulOwner.of(soul);
    if (owner != null) {
      if (key.equals("pub") && SoulOwner.isAccount(soul, owner)) {
        return value.kind() == Value.Kind.STRING && value.asString().equals(owner)
            ? null
            : ACCOUNT_NOT_SAME;
      }
      return checkSigned(owner, soul, key, field);
    }
    if (soul.indexOf('#') >= 0) {
      return hashMatches(key, value) ? null : HASH_NOT_SAME;
    }
    return null;
  }

  private String checkAliasClaim(String soul, String key, Value value, String claimedInThisPut) {
    if (value.isNull()) {
      return "Alias must exist!";
    }
    String pub = SoulOwner.of(key);
    if (!value.isLink()
        || !value.linkSoul().equals(key)
        || pub == null
        || !SoulOwner.isAccount(key, pub)) {
      return ALIAS_NOT_SAME;
    }
    if (claimedInThisPut != null && !claimedInThisPut.equals(key)) {
      return ALIAS_TAKEN;
    }
    Optional<Node> current = existing.node(soul);
    if (current.isPresent()) {
      for (Map.Entry<String, FieldState> holder : current.get().fields().entrySet()) {
        Value held = holder.getValue().value();
        if (!holder.getKey().equals(key) && held.isLink() && SoulOwner.of(holder.getKey()) != null) {
          return ALIAS_TAKEN;
        }
      }
    }
    return null;
  }

  /**
   * The error for a field of a user's space, or null: signed by the owner, or by the pub in
   * {@code "*"} under a certificate {@code "+"} that the owner signed and that covers the write.
   */
  private String checkSigned(String owner, String soul, String key, FieldState field) {
    Value value = field.value();
    if (value.kind() != Value.Kind.STRING) {
      return UNVERIFIED;
    }
    JsonNode envelope;
    try {
      envelope = JSON.readTree(value.asString());
    } catch (JsonProcessingException notJson) {
      return UNVERIFIED; // includes the legacy "SEA{...}" form, which we do not accept (see docs)
    }
    if (envelope == null || !envelope.isObject()) {
      return UNVERIFIED;
    }
    JsonNode inner = envelope.get(":");
    JsonNode signature = envelope.get("~");
    if (inner == null || signature == null || !signature.isTextual()) {
      return UNVERIFIED;
    }
    JsonNode writerNode = envelope.get("*");
    if (writerNode != null && !writerNode.isTextual()) {
      return UNVERIFIED;
    }
    String writer = writerNode == null ? owner : writerNode.textValue();
    String text = SeaSignature.signedText(soul, key, JsStringify.of(inner), field.state());
    if (!isSignature(writer, text, signature.textValue())) {
      return UNVERIFIED;
    }
    JsonNode certificate = envelope.get("+");
    if (writer.equals(owner) && certificate == null) {
      return null;
    }
    if (writerNode == null) {
      return null; // a "+" without "*" is ignored, as GunDB does: the owner signed the value
    }
    // GunDB accepts a "*" signature with no certificate at all (anyone could write anywhere);
    // we require one
    return checkCertificate(owner, writer, certificate, soul, key, inner, field.state());
  }

  private String checkCertificate(String owner, String certificant, JsonNode certificate,
      String soul, String key, JsonNode value, double state) {
    if (certificate == null || !certificate.isObject()) {
      return CertificatePolicy.FAIL;
    }
    JsonNode data = certificate.get("m");
    JsonNode signature = certificate.get("s");
    if (data == null || signature == null || !signature.isTextual()) {
      return CertificatePolicy.FAIL;
    }
    // SEA.verify hashes m as it stands when it is a string, else its JSON text
    String text = data.isTextual() ? data.textValue() : JsStringify.of(data);
    if (!isSignature(owner, text, signature.textValue())) {
      return CertificatePolicy.FAIL;
    }
    if (data.isTextual()) {
      try {
        String json = data.textValue();
        data = JSON.readTree(json.startsWith("SEA{") ? json.substring(3) : json);
      } catch (JsonProcessingException notJson) {
        return CertificatePolicy.FAIL;
      }
    }
    String error = CertificatePolicy.check(data, certificant, soul, key, value, state);
    if (error != null) {
      return error;
    }
    JsonNode blockList = CertificatePolicy.blockList(data);
    return blockList != null && isBlocked(owner, blockList.textValue(), certificant)
        ? CERTIFICANT_PREFIX + certificant + BLOCKED_SUFFIX
        : null;
  }

  /**
   * GunDB's {@code root.get(wb).get(certificant)} (or {@code root.get('~' + owner).get(wb)…} for
   * a name): blocked if that field holds 1 or true. Read from this relay's store, so a block list
   * this relay has not received yet blocks nobody here.
   */
  private boolean isBlocked(String owner, String blockList, String certificant) {
    String listSoul = blockList;
    if (!blockList.startsWith("~")) {
      JsonNode link = storedValue("~" + owner, blockList);
      JsonNode soul = link != null && link.isObject() ? link.get("#") : null;
      if (soul == null || !soul.isTextual()) {
        return false;
      }
      listSoul = soul.textValue();
    }
    JsonNode entry = storedValue(listSoul, certificant);
    return entry != null
        && ((entry.isNumber() && entry.doubleValue() == 1) || (entry.isBoolean() && entry.booleanValue()));
  }

  /** A stored field's value as a reader sees it (a signed envelope unpacked), or null. */
  private JsonNode storedValue(String soul, String key) {
    Optional<Node> node = existing.node(soul);
    FieldState field = node.isPresent() ? node.get().fields().get(key) : null;
    if (field == null) {
      return null;
    }
    Value value = field.value();
    try {
      JsonNode json = JSON.readTree(value.json());
      if (json.isTextual()) {
        JsonNode envelope = JSON.readTree(json.textValue());
        if (envelope != null && envelope.isObject() && envelope.has(":")) {
          return envelope.get(":");
        }
      }
      return json;
    } catch (JsonProcessingException notJson) {
      return value.kind() == Value.Kind.STRING ? JSON.getNodeFactory().textNode(value.asString()) : null;
    }
  }

  /** True if {@code signature} is {@code pub}'s SEA signature over {@code text}; memoized. */
  private boolean isSignature(String pub, String text, String signature) {
    Optional<ECPublicKeyParameters> publicKey = keys.key(pub);
    if (publicKey.isEmpty()) {
      return false;
    }
    byte[] digest = SeaSignature.digest(text);
    // keyed by what was verified: the same signature over any other text is checked afresh
    String memoKey = verified == null ? null
        : pub + ' ' + signature + ' ' + Base64.getEncoder().encodeToString(digest);
    if (memoKey != null && verified.getIfPresent(memoKey) != null) {
      return true;
    }
    boolean valid = SeaSignature.verifyDigest(publicKey.get(), digest, signature);
    if (valid && memoKey != null) {
      verified.put(memoKey, Boolean.TRUE);
    }
    return valid;
  }

  /**
   * SEA's content addressing: the key's part after its last {@code #} is the SHA-256 of the
   * value (a string as-is, anything else as JSON text), in standard base64 or in hex.
   */
  private static boolean hashMatches(String key, Value value) {
    String claimed = key.substring(key.lastIndexOf('#') + 1);
    String text = value.kind() == Value.Kind.STRING ? value.asString() : value.json();
    byte[] hash = SeaSignature.digest(text);
    if (claimed.equals(Base64.getEncoder().encodeToString(hash))) {
      return true;
    }
    return claimed.length() == 64
        && claimed.chars().allMatch(c -> Character.digit(c, 16) >= 0)
        && HexFormat.of().formatHex(hash).equalsIgnoreCase(claimed);
  }

  /** Stops the crypto threads. */
  @Override
  public void close() {
    pool.shutdownNow();
  }
}
