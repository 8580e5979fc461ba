#!/usr/bin/env bash
# Renders the PNG sizes of the application icon from its SVG (librsvg2-bin's rsvg-convert,
# else ImageMagick). The PNGs are kept in the tree so that a build needs neither tool.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
svg=org.portscope.PortScope.svg
for size in 16 24 32 48 64 128 256; do
  out="hicolor/${size}x${size}/apps/org.portscope.PortScope.png"
  mkdir -p "$(dirname "$out")"
  if command -v rsvg-convert >/dev/null; then
    rsvg-convert --width "$size" --height "$size" --output "$out" "$svg"
  else
    /usr/bin/convert -background none -density 384 "$svg" -resize "${size}x${size}" "$out"
  fi
done
