// Generate Keras golden cases for convscope -> keras_cases.json.
//
//   cd tests/golden && npm install && node generate_keras.mjs
//
// Uses @tensorflow/tfjs on the pure-JS CPU backend, with TF/Python Keras
// semantics:
//  * Conv2D          -> tf.conv2d(x, kernel, strides, pad, 'NHWC', dilations)
//  * Conv2DTranspose -> tf.conv2dTranspose(x, kernel, outputShape, strides, pad)
//    with outputShape from Python Keras's deconv_output_length (this is what
//    Python Keras does: tf.nn.conv2d_transpose with that output shape).
//    tf.layers.conv2dTranspose is NOT used: it ignores dilation and has no
//    output_padding. No transposed cases with dilation > 1 (tfjs can't).
//  * bias added by hand with tf.add.
// Small integer data from a fixed-seed PRNG, so outputs are exact and
// regeneration is deterministic.
import * as tf from '@tensorflow/tfjs';
import { writeFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, 'keras_cases.json');

await tf.setBackend('cpu');
await tf.ready();
const SOURCE = `tfjs ${tf.version.tfjs}`;

// ---- deterministic PRNG (mulberry32) -------------------------------------
let seed = 20240611 >>> 0;
function rand() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randint = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const choice = (arr) => arr[Math.floor(rand() * arr.length)];

function nested(shape, fn) {
  if (shape.length === 0) return fn();
  return Array.from({ length: shape[0] }, () => nested(shape.slice(1), fn));
}
const randNested = (shape) => nested(shape, () => randint(-3, 3));
const onesNested = (shape) => nested(shape, () => 1);

function toIntNested(arr) {
  if (Array.isArray(arr)) return arr.map(toIntNested);
  if (!Number.isInteger(arr)) throw new Error(`non-integer output ${arr}`);
  return arr;
}

// ---- Keras output-length formulas ----------------------------------------
const dkOf = (k, d) => d * (k - 1) + 1;
// Conv2D (conv_output_length)
function convOutLen(n, k, s, d, pad) {
  const dk = dkOf(k, d);
  if (pad === 'same') return Math.ceil(n / s);
  return Math.ceil((n - dk + 1) / s);
}
// Conv2DTranspose (deconv_output_length)
function deconvOutLen(n, k, s, d, pad, op) {
  const dk = dkOf(k, d);
  if (op === null || op === undefined) {
    return pad === 'valid' ? n * s + Math.max(dk - s, 0) : n * s;
  }
  const p = pad === 'same' ? Math.floor(dk / 2) : 0;
  return (n - 1) * s + dk - 2 * p + op;
}
// TF's tf.nn.conv2d_transpose requires that a forward conv of the requested
// output shape gives back the input shape; otherwise TF raises (tfjs does not
// check and silently computes something else). Such cases are skipped.
function transposeConsistent(n, k, s, pad, outLen) {
  return outLen >= 1 && convOutLen(outLen, k, s, 1, pad) === n;
}

// ---- case construction -----------------------------------------------------
// spec: {op, H, W, cin, f, kh, kw, strides, dilation, padding, output_padding,
//        bias, ones, name}
function caseName(c) {
  const op = c.op === 'conv2d' ? 'conv2d' : 'convT';
  const parts = ['keras', op, `h${c.H}w${c.W}c${c.cin}`, `k${c.kh}x${c.kw}f${c.f}`,
    `s${c.strides[0]}x${c.strides[1]}`, `d${c.dilation[0]}x${c.dilation[1]}`, c.padding];
  if (c.output_padding) parts.push(`op${c.output_padding[0]}x${c.output_padding[1]}`);
  parts.push(c.bias ? 'bias' : 'nobias');
  return parts.join('_');
}

function valid(c) {
  const ns = [c.H, c.W], ks = [c.kh, c.kw];
  if (c.op === 'conv2d') {
    if ((c.dilation[0] > 1 || c.dilation[1] > 1) && (c.strides[0] > 1 || c.strides[1] > 1)) return false;
    for (const a of [0, 1]) {
      if (convOutLen(ns[a], ks[a], c.strides[a], c.dilation[a], c.padding) < 1) return false;
    }
    return true;
  }
  if (c.dilation[0] !== 1 || c.dilation[1] !== 1) return false;
  for (const a of [0, 1]) {
    const op = c.output_padding ? c.output_padding[a] : null;
    if (op !== null && op >= c.strides[a]) return false;
    const L = deconvOutLen(ns[a], ks[a], c.strides[a], 1, c.padding, op);
    if (!transposeConsistent(ns[a], ks[a], c.strides[a], c.padding, L)) return false;
  }
  return true;
}

function runCase(c) {
  const gen = c.ones ? onesNested : randNested;
  const input = c.input ?? gen([c.H, c.W, c.cin]);
  const kshape = c.op === 'conv2d' ? [c.kh, c.kw, c.cin, c.f] : [c.kh, c.kw, c.f, c.cin];
  const kernel = c.kernel ?? gen(kshape);
  const bias = c.bias ? randNested([c.f]) : null;

  const y = tf.tidy(() => {
    const x = tf.tensor4d([input], [1, c.H, c.W, c.cin], 'float32');
    const w = tf.tensor4d(kernel, kshape, 'float32');
    let out;
    if (c.op === 'conv2d') {
      out = tf.conv2d(x, w, c.strides, c.padding, 'NHWC', c.dilation);
    } else {
      const op = c.output_padding;
      const oh = deconvOutLen(c.H, c.kh, c.strides[0], 1, c.padding, op ? op[0] : null);
      const ow = deconvOutLen(c.W, c.kw, c.strides[1], 1, c.padding, op ? op[1] : null);
      out = tf.conv2dTranspose(x, w, [1, oh, ow, c.f], c.strides, c.padding);
    }
    if (bias) out = tf.add(out, tf.tensor1d(bias, 'float32'));
    return out;
  });
  const shape = y.shape.slice(1);
  const output = toIntNested(y.arraySync()[0]);
  y.dispose();

  const scenario = {
    op: c.op, convention: 'keras', input, kernel,
  };
  if (bias) scenario.bias = bias;
  Object.assign(scenario, {
    strides: c.strides, padding: c.padding, dilation: c.dilation,
    output_padding: c.op === 'conv2d_transpose' && c.output_padding ? c.output_padding : null,
    input_layout: 'hwc', kernel_layout: 'keras',
  });
  return {
    name: c.name ?? caseName(c), source: SOURCE, scenario,
    expected: { output_shape: shape, output },
  };
}

function mk(op, H, W, cin, f, kh, kw, opts = {}) {
  return {
    op, H, W, cin, f, kh, kw,
    strides: opts.strides ?? [1, 1], dilation: opts.dilation ?? [1, 1],
    padding: opts.padding ?? 'valid', output_padding: opts.output_padding ?? null,
    bias: !!opts.bias, ones: !!opts.ones, name: opts.name, input: opts.input, kernel: opts.kernel,
  };
}

const cases = [];
const skipped = [];
function add(c) {
  if (!valid(c)) { skipped.push(caseName(c)); return; }
  cases.push(c);
}

// seed cases
add(mk('conv2d', 3, 3, 1, 1, 2, 2, { ones: true, name: 'seed_keras_conv2d_valid' }));
add(mk('conv2d_transpose', 2, 2, 1, 1, 2, 2, { ones: true, name: 'seed_keras_conv2d_transpose_valid' }));

// 1-D-like transposed examples
add(mk('conv2d_transpose', 1, 2, 1, 1, 1, 4, {
  strides: [1, 2], padding: 'same', input: [[[1], [10]]], kernel: [[[[1]], [[2]], [[3]], [[4]]]],
  name: 'keras_convT_1d_k4_s2_same_in_1_10',
}));
add(mk('conv2d_transpose', 1, 2, 1, 1, 1, 3, {
  strides: [1, 2], padding: 'same', input: [[[1], [10]]], kernel: [[[[1]], [[2]], [[3]]]],
  name: 'keras_convT_1d_k3_s2_same_in_1_10',
}));

// the classic "same with asymmetric pads": k=3, s=2, n=4 -> pads (0,1)
add(mk('conv2d', 4, 4, 1, 1, 3, 3, { strides: [2, 2], padding: 'same', name: 'keras_conv2d_same_s2_k3_n4' }));
add(mk('conv2d', 4, 4, 2, 2, 3, 3, { strides: [2, 2], padding: 'same', bias: true }));

// Conv2D: valid/same x strides x kernels (odd, even, rectangular)
const sizes = [[4, 5], [7, 6], [9, 8], [5, 5], [6, 9]];
const strideList = [[1, 1], [2, 2], [3, 3], [2, 1], [1, 3], [3, 2]];
const kernelList = [[3, 3], [2, 4], [1, 2], [4, 3]];
let i = 0;
for (const padding of ['valid', 'same']) {
  for (const strides of strideList) {
    for (const [kh, kw] of kernelList.slice(0, 3)) {
      const [H, W] = sizes[i % sizes.length];
      add(mk('conv2d', H, W, 1 + (i % 3), 1 + ((i + 1) % 3), kh, kw,
        { strides, padding, bias: i % 2 === 0 }));
      i++;
    }
  }
}
// Conv2D: dilation (stride 1 only, Keras rule)
for (const padding of ['valid', 'same']) {
  for (const dilation of [[2, 2], [2, 1], [1, 3], [3, 2]]) {
    const [kh, kw] = kernelList[i % kernelList.length];
    add(mk('conv2d', 9, 8, 1 + (i % 3), 1 + ((i + 2) % 3), kh, kw,
      { dilation, padding, bias: i % 2 === 1 }));
    i++;
  }
}

// Conv2DTranspose: valid/same x strides x output_padding null/given
const tKernels = [[3, 3], [2, 3], [4, 2], [3, 1]];
for (const padding of ['valid', 'same']) {
  for (const strides of strideList) {
    for (const withOp of [false, true]) {
      let [kh, kw] = tKernels[i % tKernels.length];
      let output_padding = null;
      if (withOp) {
        output_padding = [randint(0, strides[0] - 1), randint(0, strides[1] - 1)];
        if (padding === 'same') {
          // even kernel + same needs op >= 1 per axis (TF shape check); make
          // the kernel odd on axes where that is impossible/not chosen.
          if (kh % 2 === 0 && output_padding[0] === 0) kh += 1;
          if (kw % 2 === 0 && output_padding[1] === 0) kw += 1;
        }
      }
      const [H, W] = [[3, 4], [2, 5], [4, 3], [5, 2]][i % 4];
      add(mk('conv2d_transpose', H, W, 1 + (i % 3), 1 + ((i + 1) % 3), kh, kw,
        { strides, padding, output_padding, bias: i % 2 === 0 }));
      i++;
    }
  }
}
// Conv2DTranspose: kernel smaller than stride (dk < s)
for (const padding of ['valid', 'same']) {
  for (const [kh, kw] of [[1, 1], [2, 2], [1, 2]]) {
    add(mk('conv2d_transpose', 3, 2, 2, 1 + (i % 2), kh, kw,
      { strides: [3, 3], padding, bias: i % 2 === 0 }));
    i++;
    add(mk('conv2d_transpose', 2, 3, 1, 2, kh, kw,
      { strides: [3, 3], padding, output_padding: [2, 1], bias: i % 2 === 0 }));
    i++;
  }
}

// random sweep
let target = 30, r = 0;
for (let tries = 0; target > 0 && tries < 10000; tries++) {
  const op = choice(['conv2d', 'conv2d_transpose']);
  let H = randint(1, 9), W = randint(1, 9);
  if (op === 'conv2d_transpose') { H = randint(1, 5); W = randint(1, 5); }
  const cin = randint(1, 3), f = randint(1, 3), kh = randint(1, 4), kw = randint(1, 4);
  const padding = choice(['valid', 'same']);
  let strides = [randint(1, 3), randint(1, 3)];
  let dilation = [1, 1];
  let output_padding = null;
  if (op === 'conv2d' && rand() < 0.3) { strides = [1, 1]; dilation = [randint(1, 3), randint(1, 3)]; }
  if (op === 'conv2d_transpose' && rand() < 0.5) {
    output_padding = [randint(0, strides[0] - 1), randint(0, strides[1] - 1)];
  }
  const c = mk(op, H, W, cin, f, kh, kw, { strides, dilation, padding, output_padding, bias: rand() < 0.5 });
  if (!valid(c)) continue;
  c.name = `${caseName(c)}_r${String(r).padStart(2, '0')}`;
  r++; target--;
  cases.push(c);
}

const results = cases.map(runCase);
const names = new Set();
for (const res of results) {
  if (names.has(res.name)) throw new Error(`duplicate case name ${res.name}`);
  names.add(res.name);
}

// sanity checks on hand-known results
const byName = Object.fromEntries(results.map((res) => [res.name, res]));
const flat = (a) => a.flat(Infinity);
const expectFlat = (name, want) => {
  const got = flat(byName[name].expected.output);
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(`${name}: tfjs gave ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
};
expectFlat('seed_keras_conv2d_valid', [4, 4, 4, 4]);
expectFlat('seed_keras_conv2d_transpose_valid', [1, 2, 1, 2, 4, 2, 1, 2, 1]);
expectFlat('keras_convT_1d_k4_s2_same_in_1_10', [2, 13, 24, 30]);
expectFlat('keras_convT_1d_k3_s2_same_in_1_10', [1, 2, 13, 20]);

writeFileSync(OUT, '[\n' + results.map((res) => JSON.stringify(res)).join(',\n') + '\n]\n');
if (skipped.length) {
  console.log(`skipped ${skipped.length} grid specs that are invalid in Keras (empty output or TF shape check): ${skipped.join(', ')}`);
}
console.log(`wrote ${results.length} cases to ${OUT} (${statSync(OUT).size} bytes)`);
