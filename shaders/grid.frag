#version 330 core
// A grid drawn from one texture with a texel per cell (R = value, G = kind),
// read with texelFetch (nearest, no filtering): a 128×128 grid costs one quad.
// Kinds: 0 value, 1 padding (hatched), 2 inserted zero (dot), 3 not yet
// computed (blank), 4 crop margin (outside the output, faint).
uniform sampler2D u_cells;
uniform vec2 u_grid;          // cols, rows
uniform float u_inv_range;    // 1 / max |value| of this grid (colour map from −max to +max)
uniform float u_cell_px;      // cell side in pixels
uniform float u_scale;        // content scale (line widths, hatch spacing)
in vec2 v_uv;
out vec4 frag;

// Paul Tol's "BuRd" diverging scheme: colour-blind safe, white at zero.
vec3 diverging(float t) {  // t in [-1, 1]
  const vec3 c0 = vec3(0.129, 0.400, 0.675);  // #2166AC
  const vec3 c1 = vec3(0.263, 0.576, 0.765);  // #4393C3
  const vec3 c2 = vec3(0.573, 0.773, 0.871);  // #92C5DE
  const vec3 c3 = vec3(0.820, 0.898, 0.941);  // #D1E5F0
  const vec3 c4 = vec3(0.969, 0.969, 0.969);  // #F7F7F7
  const vec3 c5 = vec3(0.992, 0.859, 0.780);  // #FDDBC7
  const vec3 c6 = vec3(0.957, 0.647, 0.510);  // #F4A582
  const vec3 c7 = vec3(0.839, 0.376, 0.302);  // #D6604D
  const vec3 c8 = vec3(0.698, 0.094, 0.169);  // #B2182B
  float x = clamp(t, -1.0, 1.0) * 4.0 + 4.0;  // 0..8
  int i = int(min(floor(x), 7.0));
  float f = x - float(i);
  vec3 a, b;
  if (i == 0) { a = c0; b = c1; }
  else if (i == 1) { a = c1; b = c2; }
  else if (i == 2) { a = c2; b = c3; }
  else if (i == 3) { a = c3; b = c4; }
  else if (i == 4) { a = c4; b = c5; }
  else if (i == 5) { a = c5; b = c6; }
  else if (i == 6) { a = c6; b = c7; }
  else { a = c7; b = c8; }
  return mix(a, b, f);
}

void main() {
  vec2 cell = v_uv * u_grid;
  ivec2 idx = ivec2(min(floor(cell), u_grid - 1.0));
  vec2 texel = texelFetch(u_cells, idx, 0).rg;
  float value = texel.r;
  int kind = int(texel.g + 0.5);
  vec3 col;
  if (kind == 0) {
    col = diverging(value * u_inv_range);
  } else if (kind == 1) {
    // Padding: grey with diagonal hatching in screen space.
    float stripe = mod((gl_FragCoord.x + gl_FragCoord.y) / (7.0 * u_scale), 1.0);
    col = stripe < 0.3 ? vec3(0.70) : vec3(0.86);
  } else if (kind == 2) {
    // An inserted zero: white with a small grey dot; cells too small for a dot
    // get a flat pale grey, lighter than the padding hatch and off the colour map.
    vec2 f = fract(cell) - 0.5;
    if (u_cell_px >= 6.0 * u_scale)
      col = length(f) * u_cell_px < max(1.5 * u_scale, 0.12 * u_cell_px) ? vec3(0.55) : vec3(0.97);
    else
      col = vec3(0.90);
  } else if (kind == 3) {
    col = vec3(0.985);
  } else {
    col = vec3(0.93);
  }
  // Cell borders, one pixel (× scale) wide, when cells are big enough to see them.
  if (u_cell_px >= 5.0) {
    vec2 f = fract(cell);
    vec2 d = min(f, 1.0 - f) * u_cell_px;
    float w = max(0.5, 0.5 * u_scale);
    if (min(d.x, d.y) < w) col = mix(col, vec3(0.25), kind == 4 ? 0.15 : 0.45);
  }
  frag = vec4(col, 1.0);
}
