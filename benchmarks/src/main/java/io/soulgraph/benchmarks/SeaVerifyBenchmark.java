package io.soulgraph.benchmarks;

import io.soulgraph.ham.Graph;
import io.soulgraph.ham.JsJson;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import io.soulgraph.relay.sea.SeaSignature;
import io.soulgraph.relay.sea.UserSpaceValidator;
import io.soulgraph.relay.sea.Verdict;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The relay's SEA check ({@link UserSpaceValidator#check}) on one thread, i.e. per core: a put of
 * one signed field (key cached, as for any active user), a put of ten signed fields, a forged
 * field (verification fails: same cost as a valid one), a put outside user space (no crypto;
 * the floor), and a signed field seen before (answered from the memo of verified signatures;
 * the other cases run with the memo off). One operation per put.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SeaVerifyBenchmark {

  static final int N = 64;

  private final Graph[] oneField = new Graph[N];
  private final Graph[] tenFields = new Graph[N];
  private final Graph[] forged = new Graph[N];
  private final Graph[] plain = new Graph[N];
  private final byte[][] digests = new byte[N][];
  private final byte[][] signatures = new byte[N][];
  private PublicKey jdkKey;
  private ECPublicKeyParameters bcKey;
  private UserSpaceValidator validator;
  private UserSpaceValidator remembering;
  private int next;

  @Setup
  public void setUp() throws Exception {
    validator = new UserSpaceValidator(soul -> Optional.empty(), 1, 0);
    remembering = new UserSpaceValidator(soul -> Optional.empty(), 1);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    ECPublicKey key = (ECPublicKey) pair.getPublic();
    String pub = b64url(key.getW().getAffineX()) + "." + b64url(key.getW().getAffineY());
    double state = 1_795_287_978_641.0;
    for (int i = 0; i < N; i++) {
      String soul = "~" + pub + "/profile" + i;
      oneField[i] = Graph.of(signed(pair, Node.empty(soul), "name", "Alice " + i, state + i));
      Node ten = Node.empty(soul);
      for (int f = 0; f < 10; f++) {
        ten = signed(pair, ten, "f" + f, "value " + i + "/" + f, state + i);
      }
      tenFields[i] = Graph.of(ten);
      Node good = signed(pair, Node.empty(soul), "name", "Alice " + i, state + i);
      forged[i] = Graph.of(Node.empty(soul).with("name",
          Value.of(good.field("name").value().asString().replace("Alice", "Mallo")), state + i));
      plain[i] = Graph.of(Node.empty("plain/" + i).with("name", Value.of("Alice " + i), state + i));
      remembering.check(oneField[i]);
      digests[i] = SeaSignature.digest(SeaSignature.signedText(soul, "name", "\"x" + i + "\"", state));
      Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
      signer.initSign(pair.getPrivate());
      signer.update(digests[i]);
      signatures[i] = signer.sign();
    }
    jdkKey = key;
    X9ECParameters curve =
        CustomNamedCurves.getByName("secp256r1");
    ECDomainParameters domain =
        new ECDomainParameters(
            curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
    bcKey = new ECPublicKeyParameters(
        domain.getCurve().validatePoint(key.getW().getAffineX(), key.getW().getAffineY()), domain);
  }

  @TearDown
  public void tearDown() {
    validator.close();
    remembering.close();
  }

  private static Node signed(KeyPair pair, Node node, String field, String text, double state)
      throws Exception {
    String value = JsJson.quote(text);
    Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
    signer.initSign(pair.getPrivate());
    signer.update(SeaSignature.digest(SeaSignature.signedText(node.soul(), field, value, state)));
    String envelope = "{\":\":" + value + ",\"~\":"
        + JsJson.quote(Base64.getEncoder().encodeToString(signer.sign())) + "}";
    return node.with(field, Value.of(envelope), state);
  }

  private static String b64url(BigInteger coordinate) {
    byte[] raw = coordinate.toByteArray();
    byte[] fixed = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, fixed, 32 - copy, copy);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
  }

  private int index() {
    next = (next + 1) & (N - 1);
    return next;
  }

  /** One bare verification with the JDK's provider (SunEC, pure Java on JDK 17). */
  @Benchmark
  public boolean rawVerifyJdk() throws Exception {
    int i = index();
    Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
    verifier.initVerify(jdkKey);
    verifier.update(digests[i]);
    return verifier.verify(signatures[i]);
  }

  /** The same verification with BouncyCastle's lightweight ECDSA on its P-256 custom curve. */
  @Benchmark
  public boolean rawVerifyBouncyCastle() throws Exception {
    int i = index();
    byte[] signature = signatures[i];
    ECDSASigner verifier =
        new ECDSASigner();
    verifier.init(false, bcKey);
    return verifier.verifySignature(MessageDigest.getInstance("SHA-256").digest(digests[i]),
        new BigInteger(1, Arrays.copyOfRange(signature, 0, 32)),
        new BigInteger(1, Arrays.copyOfRange(signature, 32, 64)));
  }

  @Benchmark
  public Verdict signedPutOneField() {
    return validator.check(oneField[index()]);
  }

  @Benchmark
  public Verdict signedPutTenFields() {
    return validator.check(tenFields[index()]);
  }

  @Benchmark
  public Verdict forgedField() {
    return validator.check(forged[index()]);
  }

  @Benchmark
  public Verdict signedPutSeenBefore() {
    return remembering.check(oneField[index()]);
  }

  @Benchmark
  public Verdict plainPutNoCrypto() {
    return validator.check(plain[index()]);
  }
}
