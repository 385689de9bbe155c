// The resolver and clock on their own: the cases GunDB's wire protocol notes call out.
import test from 'node:test';
import assert from 'node:assert/strict';
import { resolve, jsonText, compareHam, StateClock, EPSILON, nextUp } from '../../src/ham.js';
import { LocalGraph } from '../../src/graph.js';

const T = 1795287911420;

test('resolve_newerState_accepts', () => {
  assert.deepEqual(resolve({ value: 'b', state: T + 1 }, { value: 'a', state: T }, T + 5),
    { outcome: 'accept' });
});

test('resolve_olderState_isHistorical', () => {
  assert.deepEqual(resolve({ value: 'older', state: T - 1000 }, { value: 'world', state: T }, T),
    { outcome: 'historical' });
});

test('resolve_equalStateGreaterText_accepts_smallerText_isHistorical', () => {
  const current = { value: 'world', state: T };
  assert.equal(resolve({ value: 'zzz', state: T }, current, T).outcome, 'accept');
  assert.equal(resolve({ value: 'aaa', state: T }, current, T).outcome, 'historical');
  assert.equal(resolve({ value: 'world', state: T }, current, T).outcome, 'equal');
});

test('resolve_equalStateNumbers_compareAsText', () => {
  assert.equal(resolve({ value: 9, state: T }, { value: 10, state: T }, T).outcome, 'accept');
});

test('resolve_equalStateKinds_orderByFirstCharacterOfJson', () => {
  const order = ['"s"', '-1', '5', 'false', 'null', 'true', '{"#":"x"}'];
  const values = ['s', -1, 5, false, null, true, { '#': 'x' }];
  assert.deepEqual(values.map(jsonText), order);
  for (let i = 1; i < values.length; i++) {
    assert.equal(compareHam({ value: values[i], state: T }, { value: values[i - 1], state: T }), 1);
  }
});

test('resolve_futureState_defersUntilIt', () => {
  assert.deepEqual(resolve({ value: 'later', state: T + 3000 }, null, T),
    { outcome: 'defer', until: T + 3000 });
  assert.equal(resolve({ value: 'later', state: T + 3000 }, null, T, 3000).outcome, 'accept');
});

test('resolve_noCurrent_accepts', () => {
  assert.equal(resolve({ value: null, state: 1 }, null, T).outcome, 'accept');
});

test('jsonText_controlCharsAndLoneSurrogates_escapedLowercase', () => {
  assert.equal(jsonText('a\u0001\u001f\ud800\u2028é'), '"a\\u0001\\u001f\\ud800\u2028é"');
  assert.equal(jsonText(1e21), '1e+21');
  assert.equal(jsonText(5e-324), '5e-324');
  assert.equal(jsonText({ '#': 'a/b' }), '{"#":"a/b"}');
});

test('stateClock_sameMillisecond_countsInThousandths', () => {
  const clock = new StateClock(() => T);
  assert.deepEqual([clock.next(), clock.next(), clock.next()], [T, T + EPSILON, T + 2 * EPSILON]);
});

test('stateClock_clockStepsBack_staysIncreasing', () => {
  let now = T;
  const clock = new StateClock(() => now);
  const first = clock.next();
  now = T - 5000;
  assert.ok(clock.next() > first);
});

test('stampAfter_seenStateAheadOfSlowClock_stampsJustAboveIt', () => {
  const clock = new StateClock(() => T - 60000);
  assert.equal(clock.stampAfter(T), Math.max(T + EPSILON, nextUp(T)));
  assert.ok(clock.stampAfter(T - 120000) > T, 'later stamps stay above the causal jump');
  assert.equal(new StateClock(() => T - 60000).stampAfter(T - 120000), T - 60000);
});

test('localGraph_futureState_heldThenAppliedWhenDue', async () => {
  let now = T;
  const changes = [];
  const graph = new LocalGraph({ now: () => now }, (changed) => changes.push(changed));
  graph.merge({ n: { _: { '#': 'n', '>': { later: T + 50, now: T } }, later: 'L', now: 'N' } });
  assert.equal(graph.node('n').values.later, undefined);
  assert.equal(graph.node('n').values.now, 'N');
  assert.equal(graph.deferredCount(), 1);
  now = T + 60;
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(graph.node('n').values.later, 'L');
  assert.equal(changes.length, 2);
  graph.close();
});

test('localGraph_invalidFields_skippedValidOnesKept', () => {
  const graph = new LocalGraph({ now: () => T }, () => {});
  graph.merge({
    good: { _: { '#': 'good', '>': { a: T, b: T, c: 'x' } }, a: 1, b: [1, 2], c: 3 },
    bad: { _: { '#': 'other', '>': { a: T } }, a: 1 },
  });
  assert.deepEqual(graph.node('good').values, { a: 1 });
  assert.equal(graph.node('bad'), undefined);
});
