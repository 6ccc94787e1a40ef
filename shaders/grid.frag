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

// Colours come from app/render/colors.h through these uniforms (GridRenderer
// sets them once): this file defines none, so the canvas, the legend and the
// GIF palette cannot drift apart.
uniform vec3 u_map[9];           // the diverging colour map's stops, −1 … +1
uniform vec2 u_padding_hatch;    // dark, light stripe
uniform vec3 u_inserted_zero;    // dot, ground, flat (cells too small for a dot)
uniform float u_blank;           // not yet computed
uniform float u_margin;          // crop margin
uniform vec3 u_border;           // grey, mix over cells, mix over the crop margin

vec3 diverging(float t) {  // t in [-1, 1]
  float x = clamp(t, -1.0, 1.0) * 4.0 + 4.0;  // 0..8
  int i = int(min(floor(x), 7.0));
  float f = x - float(i);
  return mix(u_map[i], u_map[i + 1], f);
}

uniform vec4 u_rect;      // x, y, w, h in canvas pixels, origin top-left (as grid.vert)
uniform vec2 u_viewport;  // canvas size in pixels

void main() {
  // The cell from the pixel's own position, not the interpolated v_uv: with a
  // whole-pixel rect and cell size every pixel centre falls inside exactly one
  // cell (no seam along the quad's diagonal, where interpolation rounds apart).
  vec2 px = vec2(gl_FragCoord.x, u_viewport.y - gl_FragCoord.y) - u_rect.xy;
  vec2 cell = px / u_cell_px;
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
    col = vec3(stripe < 0.3 ? u_padding_hatch.x : u_padding_hatch.y);
  } else if (kind == 2) {
    // An inserted zero: white with a small grey dot; cells too small for a dot
    // get a flat pale grey, lighter than the padding hatch and off the colour map.
    vec2 f = fract(cell) - 0.5;
    if (u_cell_px >= 6.0 * u_scale)
      col = length(f) * u_cell_px < max(1.5 * u_scale, 0.12 * u_cell_px) ? vec3(u_inserted_zero.x) : vec3(u_inserted_zero.y);
    else
      col = vec3(u_inserted_zero.z);
  } else if (kind == 3) {
    col = vec3(u_blank);
  } else {
    col = vec3(u_margin);
  }
  // Cell borders, one pixel (× scale) wide, when cells are big enough to see them:
  // the first pixel column and row of each cell. (Measured from both edges, a
  // whole-pixel cell put its border pixels exactly at the threshold, and rounding
  // drew some borders and dropped others: a 1×64 row lost half of them.)
  if (u_cell_px >= 5.0) {
    vec2 d = fract(cell) * u_cell_px;
    float w = max(1.0, u_scale);
    if (min(d.x, d.y) < w)
      col = mix(col, vec3(u_border.x), kind == 4 ? u_border.z : u_border.y);
  }
  frag = vec4(col, 1.0);
}
