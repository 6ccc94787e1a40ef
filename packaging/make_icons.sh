#!/usr/bin/env bash
# Regenerates the hicolor PNGs from icons/hicolor/scalable/apps/convscope.svg. A developer
# tool, run by hand after editing the SVG; the PNGs are committed so the build needs no
# image tool. Needs rsvg-convert (librsvg2-bin) and ImageMagick's convert.
#
# 64, 128 and 256 px are the SVG rendered (its edges fall on whole pixels there). Below
# 64 px the SVG's edges fall between pixels and blur, so those sizes are drawn
# pixel-exact with the same proportions: a frame of 5/64, a gap of 3/64 (at least one
# pixel, widened by one where needed so both cells get the same width).
set -euo pipefail
cd "$(dirname "$0")/icons/hicolor"
svg=scalable/apps/convscope.svg
convert=/usr/bin/convert  # ImageMagick itself, whatever else is first on PATH

for size in 64 128 256; do
  mkdir -p "${size}x${size}/apps"
  rsvg-convert -w "$size" -h "$size" "$svg" -o "${size}x${size}/apps/convscope.png"
done

for size in 16 24 32 48; do
  frame=$(( (size * 5 + 32) / 64 ))
  gap=$(( (size * 3 + 32) / 64 )); [ "$gap" -ge 1 ] || gap=1
  [ $(( (size - 2 * frame - gap) % 2 )) -eq 0 ] || gap=$(( gap + 1 ))
  cell=$(( (size - 2 * frame - gap) / 2 ))
  a0=$frame; a1=$(( frame + cell - 1 )); b0=$(( frame + cell + gap )); b1=$(( b0 + cell - 1 ))
  mkdir -p "${size}x${size}/apps"
  last=$(( size - 1 ))
  # ImageMagick's rectangles include both corners; the frame is four bars, the gap stays transparent.
  "$convert" -size "${size}x${size}" xc:none \
    -fill '#ffc800' -draw "rectangle 0,0 $last,$(( frame - 1 ))" -draw "rectangle 0,$(( size - frame )) $last,$last" \
    -draw "rectangle 0,0 $(( frame - 1 )),$last" -draw "rectangle $(( size - frame )),0 $last,$last" \
    -fill '#2166ac' -draw "rectangle $a0,$a0 $a1,$a1" \
    -fill '#92c5de' -draw "rectangle $b0,$a0 $b1,$a1" \
    -fill '#f4a582' -draw "rectangle $a0,$b0 $a1,$b1" \
    -fill '#b2182b' -draw "rectangle $b0,$b0 $b1,$b1" \
    -strip "${size}x${size}/apps/convscope.png"
done
