#!/usr/bin/python3
"""`convscope export-lesson` for every shipped lesson: index.html must be
self-contained (no scripts, nothing fetched: every src/href is a file beside
it that exists), hold one section per slide with the caption's values filled
in, and put each prediction's answer in a <details> box. A slide that plays
is a GIF with one frame per step of its range (conv_shrinks' first slide plays
steps −1 … 3: 5 frames); a still slide is a PNG.

usage: export_lesson.py CONVSCOPE SOURCE_DIR OUT_DIR
"""
import glob
import html.parser
import json
import os
import shutil
import subprocess
import sys


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs, self.tags, self.text = [], [], []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.in_style = tag == "style"
        for name, value in attrs:
            if name in ("src", "href", "srcset", "data"):
                self.refs.append(value)

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if not self.in_style:  # the page's text, not its CSS
            self.text.append(data)


def gif_frames(data):
    """The number of images in a GIF (its block structure walked, nothing decoded)."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        return -1
    at = 13 + (3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0)
    frames = 0

    def skip_sub_blocks(i):
        while data[i] != 0:
            i += data[i] + 1
        return i + 1

    while at < len(data):
        kind = data[at]
        if kind == 0x3B:  # trailer
            return frames
        if kind == 0x21:  # extension: label, sub-blocks
            at = skip_sub_blocks(at + 2)
        elif kind == 0x2C:  # image: descriptor, local colour table, LZW size, sub-blocks
            flags = data[at + 9]
            at += 10 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
            at = skip_sub_blocks(at + 1)
            frames += 1
        else:
            return -1
    return -1


def main():
    exe, source, out = sys.argv[1:4]
    shutil.rmtree(out, ignore_errors=True)
    failures = []
    lessons = sorted(glob.glob(os.path.join(source, "assets/lessons/*.json")))
    for path in lessons:
        stem = os.path.splitext(os.path.basename(path))[0]
        folder = os.path.join(out, stem)
        r = subprocess.run([exe, "export-lesson", stem, "--out", folder + "/", "-q"], capture_output=True, text=True)
        if r.returncode != 0:
            failures.append(f"{stem}: exit {r.returncode}: {r.stderr.strip()}")
            continue
        with open(os.path.join(folder, "index.html"), encoding="utf-8") as fh:
            page = Page()
            page.feed(fh.read())
        with open(path, encoding="utf-8") as fh:
            lesson = json.load(fh)
        slides = lesson["slides"]
        if "script" in page.tags:
            failures.append(f"{stem}: index.html has a <script>")
        if page.tags.count("section") != len(slides) or page.tags.count("img") != len(slides):
            failures.append(f"{stem}: {page.tags.count('section')} sections, {page.tags.count('img')} images "
                            f"for {len(slides)} slides")
        predictions = sum(1 for s in slides if "predict" in s)
        if page.tags.count("details") != predictions:
            failures.append(f"{stem}: {page.tags.count('details')} answers for {predictions} predictions")
        for ref in page.refs:
            target = os.path.join(folder, ref)
            if "/" in ref or ":" in ref or not os.path.isfile(target):
                failures.append(f"{stem}: {ref} is not a file beside index.html")
                continue
            with open(target, "rb") as fh:
                data = fh.read()
            if ref.endswith(".png") and data[:8] != b"\x89PNG\r\n\x1a\n":
                failures.append(f"{stem}: {ref} is not a PNG")
            if ref.endswith(".gif") and gif_frames(data) < 2:
                failures.append(f"{stem}: {ref} is not an animated GIF ({gif_frames(data)} frames)")
        images = [r for r in page.refs if r.startswith("slide_")]
        for i, slide in enumerate(slides):
            want = ".gif" if "play" in slide else ".png"
            if i < len(images) and not images[i].endswith(want):
                # (a slide playing over 400 steps would be a PNG too: no shipped lesson has one)
                failures.append(f"{stem}: slide {i + 1} {'plays' if want == '.gif' else 'is still'} "
                                f"but its picture is {images[i]}")
        if stem == "conv_shrinks":
            with open(os.path.join(folder, "slide_01.gif"), "rb") as fh:
                n = gif_frames(fh.read())
            if n != 5:
                failures.append(f"conv_shrinks: slide 1 plays steps -1 … 3 but its GIF has {n} frames, not 5")
        text = "".join(page.text)
        if "{" in text:
            failures.append(f"{stem}: a placeholder was left unfilled")
        if lesson["title"] not in text:
            failures.append(f"{stem}: the title is missing")
    # A bad lesson name is one line and exit 2, nothing written.
    r = subprocess.run([exe, "export-lesson", "no_such_lesson", "--out", os.path.join(out, "bad")],
                       capture_output=True, text=True)
    if r.returncode != 2 or len(r.stderr.strip().splitlines()) != 1 or os.path.exists(os.path.join(out, "bad")):
        failures.append(f"no_such_lesson: exit {r.returncode}, stderr {r.stderr!r}")
    print(f"{len(lessons)} lessons exported")
    for line in failures:
        print("FAIL", line)
    return 1 if failures or len(lessons) < 8 else 0


if __name__ == "__main__":
    sys.exit(main())
