// The JS resolver as an oracle for the Java property test JsResolverParityTest: reads one case per
// line on stdin, answers one line per case on stdout, in order.
//   {"kind":"ham","in":<value>,"is":<state>,"hasCur":bool,"cur":<value>,"cs":<state>,
//    "now":<n>,"drift":<n>}
//     -> "<outcome> <until|-> <hex of JSON text of in> <hex of JSON text of cur|->"
//   {"kind":"clock","ops":[{"t":<ms>,"stampAfter":<n>|null}, …]}
//     -> "<state> <state> …"  (stampAfter when given, else next(), with the ticker at t)
// Numbers are written by JSON.stringify, the function JsJson twins.
// Texts go out as hex UTF-16 code units (4 digits each), so the reader needs no JSON parser and
// no byte of them can be changed by an encoding. Numbers are JavaScript's shortest digits.
import readline from 'node:readline';
import { resolve, jsonText, StateClock } from '../src/ham.js';

function answer(line) {
  const c = JSON.parse(line);
  if (c.kind === 'clock') {
    let t = 0;
    const clock = new StateClock(() => t);
    const states = c.ops.map((op) => {
      t = op.t;
      return op.stampAfter === null ? clock.next() : clock.stampAfter(op.stampAfter);
    });
    return states.map((state) => JSON.stringify(state)).join(' ');
  }
  const current = c.hasCur ? { value: c.cur, state: c.cs } : null;
  const decision = resolve({ value: c.in, state: c.is }, current, c.now, c.drift);
  return [
    decision.outcome,
    decision.outcome === 'defer' ? JSON.stringify(decision.until) : '-',
    hex(jsonText(c.in)),
    c.hasCur ? hex(jsonText(c.cur)) : '-',
  ].join(' ');
}

function hex(text) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    out += text.charCodeAt(i).toString(16).padStart(4, '0');
  }
  return out;
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() !== '') {
    let out;
    try {
      out = answer(line);
    } catch (e) {
      out = 'error ' + JSON.stringify(String(e && e.message));
    }
    process.stdout.write(out + '\n');
  }
}
