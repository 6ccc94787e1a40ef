// Generate Keras golden cases for grouped and depthwise convolution
// -> keras_grouped_cases.json.
//
//   cd tests/golden && npm install && node generate_keras_grouped.mjs
//
// @tensorflow/tfjs on the pure-JS CPU backend, with TF/Python Keras semantics:
//  * DepthwiseConv2D(depth_multiplier=M) -> tf.depthwiseConv2d(x, kernel
//    [kh,kw,C_in,M], strides, pad, 'NHWC', dilations): output channel c*M + m.
//    The tfjs DepthwiseConv2D *layer* ignores dilationRate, so the op is used;
//    for undilated cases the layer is run too and must agree.
//  * Conv2D(groups=g) -> tfjs has no grouped conv: tf.conv2d on each group's
//    channel slice (input channels grp*C_in/g.., filters grp*F/g..), concatenated
//    along channels. The 'same' split depends only on n, k, s, d, so it is the
//    same for every slice. Checked against one tf.conv2d with the block-diagonal
//    full kernel (zeros where a filter does not read a channel).
//  * bias added by hand with tf.add.
// Most cases use Keras's own layouts (hwc input, [kh][kw][..][..] kernel); some
// use chw input and/or the PyTorch weight layout, which the scenario format
// allows with either convention. Small integer data from a fixed-seed PRNG, so
// outputs are exact and regeneration is deterministic. check_grouped.py
// re-derives every output from the scenario alone, without tfjs.
import * as tf from '@tensorflow/tfjs';
import { writeFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, 'keras_grouped_cases.json');

await tf.setBackend('cpu');
await tf.ready();
const SOURCE = `tfjs ${tf.version.tfjs}`;

// ---- deterministic PRNG (mulberry32) -------------------------------------
let seed = 20240711 >>> 0;
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
  if (shape.length === 0) return fn([]);
  return Array.from({ length: shape[0] }, (_, i) => nested(shape.slice(1), (rest) => fn([i, ...rest])));
}
const randNested = (shape) => nested(shape, () => randint(-3, 3));

function toIntNested(arr) {
  if (Array.isArray(arr)) return arr.map(toIntNested);
  if (!Number.isInteger(arr)) throw new Error(`non-integer output ${arr}`);
  return arr;
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// ---- layouts ---------------------------------------------------------------
// (input layout, kernel layout), cycled; half the cases in Keras's own layouts.
const LAYOUTS = [['hwc', 'keras'], ['chw', 'torch'], ['hwc', 'keras'], ['hwc', 'torch'],
  ['hwc', 'keras'], ['chw', 'keras']];
let layoutTurn = 0;
const nextLayouts = () => LAYOUTS[layoutTurn++ % LAYOUTS.length];

// H×W×C -> C×H×W
const hwcToChw = (a) => nested([a[0][0].length, a.length, a[0].length], ([c, y, x]) => a[y][x][c]);
// Keras kernel -> PyTorch weight: conv2d [kh][kw][C_in/g][F] -> (F, C_in/g, kh, kw);
// depthwise [kh][kw][C_in][M] -> (C_in*M, 1, kh, kw) with row c*M + m.
function torchKernel(op, k) {
  const [kh, kw, a, b] = [k.length, k[0].length, k[0][0].length, k[0][0][0].length];
  if (op === 'conv2d') return nested([b, a, kh, kw], ([f, c, y, x]) => k[y][x][c][f]);
  return nested([a * b, 1, kh, kw], ([o, , y, x]) => k[y][x][Math.floor(o / b)][o % b]);
}

// ---- Keras output-length rule (conv_output_length) -------------------------
function convOutLen(n, k, s, d, pad) {
  const dk = d * (k - 1) + 1;
  return pad === 'same' ? Math.ceil(n / s) : Math.ceil((n - dk + 1) / s);
}

// ---- case construction -----------------------------------------------------
// spec: {op, H, W, cin, f, groups, m, kh, kw, strides, dilation, padding, bias,
//        layouts, name, input, kernel}
const outChannels = (c) => (c.op === 'depthwise_conv2d' ? c.cin * c.m : c.f);

function caseName(c) {
  const parts = ['keras', c.op === 'conv2d' ? 'gconv2d' : 'dw', `h${c.H}w${c.W}c${c.cin}`,
    c.op === 'conv2d' ? `k${c.kh}x${c.kw}f${c.f}g${c.groups}` : `k${c.kh}x${c.kw}m${c.m}`,
    `s${c.strides[0]}x${c.strides[1]}`, `d${c.dilation[0]}x${c.dilation[1]}`, c.padding,
    c.bias ? 'bias' : 'nobias', c.layouts.join('-')];
  return parts.join('_');
}

function valid(c) {
  if (c.op === 'conv2d' && (c.cin % c.groups !== 0 || c.f % c.groups !== 0)) return false;
  if (c.cin > 8 || outChannels(c) > 8 || c.H > 7 || c.W > 7 || c.kh > 3 || c.kw > 3) return false;
  // Keras: a stride > 1 together with a dilation > 1 is rejected
  if ((c.dilation[0] > 1 || c.dilation[1] > 1) && (c.strides[0] > 1 || c.strides[1] > 1)) return false;
  const ns = [c.H, c.W], ks = [c.kh, c.kw];
  return [0, 1].every((a) => convOutLen(ns[a], ks[a], c.strides[a], c.dilation[a], c.padding) >= 1);
}

// Keras Conv2D(groups): one tf.conv2d per group, concatenated along channels.
function groupedConv2d(x, w, c) {
  const cg = c.cin / c.groups, fg = c.f / c.groups;
  const parts = [];
  for (let grp = 0; grp < c.groups; grp++) {
    const xs = tf.slice(x, [0, 0, 0, grp * cg], [1, c.H, c.W, cg]);
    const ws = tf.slice(w, [0, 0, 0, grp * fg], [c.kh, c.kw, cg, fg]);
    parts.push(tf.conv2d(xs, ws, c.strides, c.padding, 'NHWC', c.dilation));
  }
  return parts.length === 1 ? parts[0] : tf.concat(parts, 3);
}

// Independent check: the grouped conv as one ordinary conv whose kernel is
// zero wherever filter f does not read input channel ch.
function blockDiagonalConv2d(input, kernel, c) {
  const cg = c.cin / c.groups, fg = c.f / c.groups;
  const full = nested([c.kh, c.kw, c.cin, c.f], ([y, x, ch, f]) =>
    (Math.floor(ch / cg) === Math.floor(f / fg) ? kernel[y][x][ch % cg][f] : 0));
  return tf.tidy(() => tf.conv2d(tf.tensor4d([input], [1, c.H, c.W, c.cin]),
    tf.tensor4d(full), c.strides, c.padding, 'NHWC', c.dilation).arraySync()[0]);
}

// Independent checks of the depthwise result: the tfjs DepthwiseConv2D layer
// (undilated only, it ignores dilationRate) and the grouped conv with
// groups = C_in and kernel [kh][kw][1][c*M + m].
function depthwiseCrossChecks(input, kernel, c, got) {
  const noBias = got;
  if (c.dilation[0] === 1 && c.dilation[1] === 1) {
    const layer = tf.layers.depthwiseConv2d({
      kernelSize: [c.kh, c.kw], depthMultiplier: c.m, strides: c.strides, padding: c.padding,
      useBias: false, dataFormat: 'channelsLast', inputShape: [c.H, c.W, c.cin],
    });
    const viaLayer = tf.tidy(() => {
      layer.build([1, c.H, c.W, c.cin]);
      layer.setWeights([tf.tensor4d(kernel)]);
      return layer.apply(tf.tensor4d([input], [1, c.H, c.W, c.cin])).arraySync()[0];
    });
    if (!same(viaLayer, noBias)) throw new Error(`${caseName(c)}: DepthwiseConv2D layer disagrees`);
  }
  const asGroups = { ...c, op: 'conv2d', groups: c.cin, f: c.cin * c.m };
  const groupKernel = nested([c.kh, c.kw, 1, c.cin * c.m],
    ([y, x, , o]) => kernel[y][x][Math.floor(o / c.m)][o % c.m]);
  const viaGroups = tf.tidy(() => groupedConv2d(tf.tensor4d([input], [1, c.H, c.W, c.cin]),
    tf.tensor4d(groupKernel), asGroups).arraySync()[0]);
  if (!same(viaGroups, noBias)) throw new Error(`${caseName(c)}: groups=C_in conv disagrees`);
}

function runCase(c) {
  const input = c.input ?? randNested([c.H, c.W, c.cin]);
  const kshape = c.op === 'conv2d' ? [c.kh, c.kw, c.cin / c.groups, c.f] : [c.kh, c.kw, c.cin, c.m];
  const kernel = c.kernel ?? randNested(kshape);
  const bias = c.bias ? randNested([outChannels(c)]) : null;

  const unbiased = tf.tidy(() => {
    const x = tf.tensor4d([input], [1, c.H, c.W, c.cin], 'float32');
    const w = tf.tensor4d(kernel, kshape, 'float32');
    const y = c.op === 'conv2d' ? groupedConv2d(x, w, c)
      : tf.depthwiseConv2d(x, w, c.strides, c.padding, 'NHWC', c.dilation);
    return y.arraySync()[0];
  });
  if (c.op === 'conv2d') {
    if (!same(blockDiagonalConv2d(input, kernel, c), unbiased)) {
      throw new Error(`${caseName(c)}: block-diagonal conv2d disagrees`);
    }
  } else {
    depthwiseCrossChecks(input, kernel, c, unbiased);
  }
  const hwf = toIntNested(bias ? tf.tidy(() => tf.add(tf.tensor3d(unbiased), tf.tensor1d(bias)).arraySync())
    : unbiased);

  const [inputLayout, kernelLayout] = c.layouts;
  const chw = inputLayout === 'chw';
  const output = chw ? hwcToChw(hwf) : hwf;
  const scenario = {
    op: c.op, convention: 'keras',
    input: chw ? hwcToChw(input) : input,
    kernel: kernelLayout === 'torch' ? torchKernel(c.op, kernel) : kernel,
  };
  if (bias) scenario.bias = bias;
  Object.assign(scenario, { strides: c.strides, padding: c.padding, dilation: c.dilation });
  if (c.op === 'conv2d') scenario.groups = c.groups;
  Object.assign(scenario, { output_padding: null, input_layout: inputLayout, kernel_layout: kernelLayout });
  const shape = chw ? [hwf[0][0].length, hwf.length, hwf[0].length] : [hwf.length, hwf[0].length, hwf[0][0].length];
  return { name: c.name ?? caseName(c), source: SOURCE, scenario, expected: { output_shape: shape, output } };
}

function mk(op, H, W, cin, kh, kw, opts = {}) {
  return {
    op, H, W, cin, kh, kw, f: opts.f ?? null, groups: opts.groups ?? 1, m: opts.m ?? null,
    strides: opts.strides ?? [1, 1], dilation: opts.dilation ?? [1, 1],
    padding: opts.padding ?? 'valid', bias: !!opts.bias,
    layouts: opts.layouts ?? nextLayouts(), name: opts.name, input: opts.input, kernel: opts.kernel,
  };
}

const cases = [];
const skipped = [];
function add(c) {
  if (!valid(c)) { skipped.push(caseName(c)); return; }
  cases.push(c);
}

// ---- hand-checkable cases --------------------------------------------------
// channel 0 holds 1s, channel 1 holds 10s: each output shows which input
// channels reached it.
const onesTens = nested([2, 2, 2], ([, , ch]) => (ch === 0 ? 1 : 10));
add(mk('depthwise_conv2d', 2, 2, 2, 1, 1, {
  m: 2, input: onesTens, kernel: [[[[1, 2], [3, 4]]]], layouts: ['hwc', 'keras'], name: 'seed_keras_dw_m2_1x1',
}));
add(mk('conv2d', 2, 2, 2, 1, 1, {
  f: 2, groups: 2, input: onesTens, kernel: [[[[1, 1]]]], layouts: ['hwc', 'keras'],
  name: 'seed_keras_gconv2d_g2_1x1',
}));
// 'same', k=3, s=2, n=4: TF pads (0, 1), so the bottom/right windows overhang
add(mk('depthwise_conv2d', 4, 4, 1, 3, 3, {
  m: 1, strides: [2, 2], padding: 'same', input: nested([4, 4, 1], () => 1),
  kernel: nested([3, 3, 1, 1], () => 1), layouts: ['hwc', 'keras'], name: 'seed_keras_dw_same_s2_k3_n4_ones',
}));

// ---- DepthwiseConv2D: M = 1, 2, 3 ------------------------------------------
const dwShapes = [[1, 2], [2, 1], [2, 2], [2, 3], [3, 1], [3, 2], [4, 2], [1, 3]]; // [C_in, M]
const variants = [ // [padding, strides, dilation, [kh, kw]]
  ['valid', [1, 1], [1, 1], [3, 3]],
  ['same', [2, 2], [1, 1], [3, 3]],
  ['same', [1, 1], [2, 2], [3, 3]],
  ['valid', [2, 1], [1, 1], [2, 3]],
  ['same', [1, 3], [1, 1], [2, 2]],
  ['valid', [1, 1], [2, 1], [2, 2]],
  ['same', [3, 3], [1, 1], [3, 2]],
  ['same', [1, 1], [1, 3], [2, 3]],
  ['valid', [3, 2], [1, 1], [1, 1]],
  ['same', [2, 2], [1, 1], [2, 2]],
];
const sizes = [[5, 6], [6, 5], [7, 7], [4, 5], [5, 5], [6, 7]];
let i = 0;
for (const [cin, m] of dwShapes) {
  for (const rep of [0, 1]) {
    const [padding, strides, dilation, [kh, kw]] = variants[(2 * i + rep) % variants.length];
    const [H, W] = sizes[(i + rep) % sizes.length];
    add(mk('depthwise_conv2d', H, W, cin, kh, kw, { m, strides, dilation, padding, bias: (i + rep) % 2 === 0 }));
  }
  i++;
}

// ---- Conv2D(groups=g) --------------------------------------------------------
const groupShapes = [[2, 3, 1], [4, 2, 2], [2, 4, 2], [6, 4, 2], [3, 6, 3], [6, 6, 3], [4, 8, 4], [8, 4, 4]];
for (const [cin, f, groups] of groupShapes) {
  for (const rep of [0, 1]) {
    const [padding, strides, dilation, [kh, kw]] = variants[(3 * i + 5 * rep) % variants.length];
    const [H, W] = sizes[(i + 3 * rep) % sizes.length];
    add(mk('conv2d', H, W, cin, kh, kw, { f, groups, strides, dilation, padding, bias: (i + rep) % 2 === 1 }));
  }
  i++;
}

// ---- random sweep --------------------------------------------------------------
let target = 3, r = 0;
for (let tries = 0; target > 0 && tries < 10000; tries++) {
  const op = choice(['conv2d', 'depthwise_conv2d']);
  const groups = randint(1, 4);
  const cin = groups * randint(1, 2), f = groups * randint(1, 2), m = randint(1, 3);
  const H = randint(1, 7), W = randint(1, 7), kh = randint(1, 3), kw = randint(1, 3);
  let strides = [randint(1, 3), randint(1, 3)], dilation = [1, 1];
  if (rand() < 0.3) { strides = [1, 1]; dilation = [randint(1, 3), randint(1, 3)]; }
  const padding = choice(['valid', 'same']);
  const c = mk(op, H, W, cin, kh, kw, {
    f: op === 'conv2d' ? f : null, groups: op === 'conv2d' ? groups : 1, m: op === 'conv2d' ? null : m,
    strides, dilation, padding, bias: rand() < 0.5, layouts: choice(LAYOUTS),
  });
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

// ---- hand-known results --------------------------------------------------------
const byName = Object.fromEntries(results.map((res) => [res.name, res]));
const expectFlat = (name, want) => {
  const got = byName[name].expected.output.flat(Infinity);
  if (!same(got, want)) throw new Error(`${name}: tfjs gave ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
};
expectFlat('seed_keras_dw_m2_1x1', [1, 2, 30, 40, 1, 2, 30, 40, 1, 2, 30, 40, 1, 2, 30, 40]);
expectFlat('seed_keras_gconv2d_g2_1x1', [1, 10, 1, 10, 1, 10, 1, 10]);
expectFlat('seed_keras_dw_same_s2_k3_n4_ones', [9, 6, 6, 4]);

writeFileSync(OUT, '[\n' + results.map((res) => JSON.stringify(res)).join(',\n') + '\n]\n');
if (skipped.length) console.log(`skipped ${skipped.length} grid specs invalid in Keras: ${skipped.join(', ')}`);
const ops = results.reduce((acc, res) => ({ ...acc, [res.scenario.op]: (acc[res.scenario.op] ?? 0) + 1 }), {});
console.log(`wrote ${results.length} cases to ${OUT} (${statSync(OUT).size} bytes): ${JSON.stringify(ops)}`);
