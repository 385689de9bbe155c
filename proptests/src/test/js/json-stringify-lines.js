// JSON.stringify as JavaScript itself writes it, for JsJsonParityTest. One request per stdin
// line: a JSON array of value specs (["s", [utf16 units]], ["l", [units of a soul]],
// ["n", "16 hex digits of the IEEE-754 bits"], ["b", bool], ["z"] for null). One answer line per
// request: the JS comparison (1, -1, 0) of the first two texts, then each text as UTF-16 code
// units, all separated by "|". Units travel as numbers so that lone surrogates survive the pipe.
'use strict';
const readline = require('node:readline');

function decode(spec) {
  switch (spec[0]) {
    case 's': return String.fromCharCode(...spec[1]);
    case 'l': return { '#': String.fromCharCode(...spec[1]) };
    case 'n': {
      const view = new DataView(new ArrayBuffer(8));
      view.setBigUint64(0, BigInt('0x' + spec[1]));
      return view.getFloat64(0);
    }
    case 'b': return spec[1];
    case 'z': return null;
    default: throw new Error('Expected a value spec but received ' + JSON.stringify(spec));
  }
}

function units(text) {
  const out = [];
  for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i));
  return out.join(',');
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  const texts = JSON.parse(line).map((spec) => JSON.stringify(decode(spec)));
  const cmp = texts.length < 2 ? 0 : texts[0] > texts[1] ? 1 : texts[0] < texts[1] ? -1 : 0;
  process.stdout.write([cmp, ...texts.map(units)].join('|') + '\n');
});
