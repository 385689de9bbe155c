package io.soulgraph.relay.sync;

import io.soulgraph.relay.gun.GunException;
import io.soulgraph.relay.gun.GunLimits;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One session's share of the relay: a token bucket for its messages, a count of its puts waiting
 * for commit, of frames queued to it (the outbound bound every transport relies on), and of its
 * offences. Thread-safe.
 */
public final class SessionBudget {

  private final GunLimits limits;
  private final LongSupplier nanoTime;
  private final AtomicInteger inFlightPuts = new AtomicInteger();
  private final AtomicLong inFlightBytes = new AtomicLong();
  private final AtomicInteger outboundFrames = new AtomicInteger();
  private final AtomicLong outboundBytes = new AtomicLong();
  private final AtomicInteger strikes = new AtomicInteger();
  private double tokens;
  private long refilledAt;
  private double forwardTokens = FORWARDED_GETS_PER_SECOND;
  private long forwardRefilledAt;

  /**
   * How many of one peer's gets per second are forwarded to other connections (one forwarded get
   * becomes a frame for up to {@link GetHandler#MAX_CLIENT_FORWARDS} of them). Beyond it, gets are
   * still answered from the store, just not forwarded.
   */
  public static final int FORWARDED_GETS_PER_SECOND = 50;

  public SessionBudget(GunLimits limits, LongSupplier nanoTime) {
    this.limits = limits;
    this.nanoTime = nanoTime;
    this.tokens = limits.messagesPerSecond();
    this.refilledAt = nanoTime.getAsLong();
    this.forwardRefilledAt = refilledAt;
  }

  /** Takes a forwarded get's token; false when the peer's gets should not be forwarded now. */
  public synchronized boolean tryForwardGet() {
    long now = nanoTime.getAsLong();
    double rate = FORWARDED_GETS_PER_SECOND;
    forwardTokens = Math.min(rate, forwardTokens + (now - forwardRefilledAt) * rate / 1e9);
    forwardRefilledAt = now;
    if (forwardTokens < 1) {
      return false;
    }
    forwardTokens -= 1;
    return true;
  }

  /** Takes one message's token, or fails when the peer sends faster than its rate. */
  public synchronized void takeMessage() {
    long now = nanoTime.getAsLong();
    double rate = limits.messagesPerSecond();
    tokens = Math.min(rate, tokens + (now - refilledAt) * rate / 1e9);
    refilledAt = now;
    if (tokens < 1) {
      throw new GunException.LimitExceeded(
          "Expected at most " + limits.messagesPerSecond() + " messages per second");
    }
    tokens -= 1;
  }

  /** Counts a put waiting for its commit, or fails when the peer has too many. */
  public void beginPut() {
    beginPut(0);
  }

  /**
   * Counts a put of {@code bytes} waiting for its commit, or fails when the peer has too many
   * puts or bytes waiting (one put alone always fits: its size is bounded by maxPutBytes).
   */
  public void beginPut(long bytes) {
    if (inFlightPuts.incrementAndGet() > limits.maxInFlightPuts()) {
      inFlightPuts.decrementAndGet();
      throw new GunException.Busy(
          "Expected at most "
              + limits.maxInFlightPuts()
              + " puts waiting for commit; resend later");
    }
    long waiting = inFlightBytes.addAndGet(bytes);
    if (waiting > limits.memory().maxInFlightBytes() && waiting != bytes) {
      inFlightBytes.addAndGet(-bytes);
      inFlightPuts.decrementAndGet();
      throw new GunException.Busy(
          "Expected at most "
              + limits.memory().maxInFlightBytes()
              + " bytes of puts waiting for commit; resend later");
    }
  }

  /** A put of this peer was committed or failed. */
  public void endPut() {
    endPut(0);
  }

  /** A put of {@code bytes} of this peer was committed or failed. */
  public void endPut(long bytes) {
    inFlightBytes.addAndGet(-bytes);
    inFlightPuts.decrementAndGet();
  }

  /** Counts a frame queued to the peer; false when the peer has stopped reading. */
  public boolean beginSend() {
    return beginSend(0);
  }

  /**
   * Counts a frame of {@code chars} queued to the peer; false when the peer has stopped reading
   * (too many frames or bytes queued; one frame alone always fits).
   */
  public boolean beginSend(long chars) {
    if (outboundFrames.incrementAndGet() > limits.maxOutboundFrames()) {
      outboundFrames.decrementAndGet();
      return false;
    }
    long queued = outboundBytes.addAndGet(chars);
    if (queued > limits.memory().maxOutboundBytes() && queued != chars) {
      outboundBytes.addAndGet(-chars);
      outboundFrames.decrementAndGet();
      return false;
    }
    return true;
  }

  /** A queued frame was written (or dropped). */
  public void endSend() {
    endSend(0);
  }

  /** A queued frame of {@code chars} was written (or dropped). */
  public void endSend(long chars) {
    endSends(1, chars);
  }

  /** Ends {@code messages} sends of {@code chars} in all, written as one frame. */
  public void endSends(int messages, long chars) {
    outboundBytes.addAndGet(-chars);
    outboundFrames.addAndGet(-messages);
  }

  /** Frames queued to the peer and not yet written. */
  public int outboundFrames() {
    return outboundFrames.get();
  }

  /** Bytes of frames queued to the peer and not yet written. */
  public long outboundBytes() {
    return outboundBytes.get();
  }

  /**
   * Records an answered offence.
   *
   * @throws GunException.Abusive once the peer has used up its strikes
   */
  public void strike(String offence) {
    if (strikes.incrementAndGet() >= limits.maxStrikes()) {
      throw new GunException.Abusive(
          "Closed after " + limits.maxStrikes() + " bad messages; last: " + offence);
    }
  }


  /** Puts of this peer waiting for commit. */
  public int inFlightPuts() {
    return inFlightPuts.get();
  }
}
