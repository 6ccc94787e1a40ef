#version 330 core
// One grid as one quad (4 vertices from gl_VertexID, no buffers). The rect is
// in canvas pixels with the origin at the top left, like ImGui's draw lists.
uniform vec4 u_rect;      // x, y, w, h
uniform vec2 u_viewport;  // canvas size in pixels
out vec2 v_uv;            // 0..1 across the grid, v down

void main() {
  vec2 corner = vec2(float(gl_VertexID & 1), float((gl_VertexID >> 1) & 1));
  vec2 px = u_rect.xy + corner * u_rect.zw;
  v_uv = corner;
  gl_Position = vec4(px.x / u_viewport.x * 2.0 - 1.0, 1.0 - px.y / u_viewport.y * 2.0, 0.0, 1.0);
}
