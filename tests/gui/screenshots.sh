#!/bin/sh
# Screenshot every preset (and the seed) at a mid-animation step, and the volume view; each PNG must be
# the window size (1600×1000) and far from blank (many distinct colours).
# Usage (inside an X server): screenshots.sh CONVSCOPE PRESETS_DIR OUT_DIR
set -eu
exe=$1; presets=$2; out=$3
mkdir -p "$out"
fail=0
check() {
  size=$(identify -format "%w %h" "$2")
  colours=$(identify -format "%k" "$2")
  if [ "$size" = "1600 1000" ] && [ "$colours" -gt 200 ]; then echo "ok   $1: $size, $colours colours"
  else echo "FAIL $1: $size, $colours colours"; fail=1; fi
}
XDG_CONFIG_HOME="$out/config" "$exe" --screenshot "$out/seed.png" --step 9
check seed "$out/seed.png"
for f in "$presets"/*.json; do
  name=$(basename "$f" .json)
  XDG_CONFIG_HOME="$out/config" "$exe" --screenshot "$out/$name.png" --step 5 "$f"
  check "$name" "$out/$name.png"
done
# The volume view (README "Channels as volumes"; these are docs/volume_*.png).
shot() {
  name=$1; shift
  XDG_CONFIG_HOME="$out/config" "$exe" --screenshot "$out/$name.png" "$@"
  check "$name" "$out/$name.png"
}
shot volume_rgb --step 265 --view volume "$presets/rgb_image_2_filters.json"
shot volume_grouped --step 100 --view volume "$presets/grouped_conv_g2.json"
shot volume_depthwise --step 100 --view volume "$presets/depthwise_3x3.json"
shot volume_separable --step 100 --view volume,controls=off \
  "$presets/depthwise_separable_1_depthwise.json" "$presets/depthwise_separable_2_pointwise.json"
test ! -e "$out/config/convscope/session.json" || { echo "FAIL the session was written"; fail=1; }
exit $fail
