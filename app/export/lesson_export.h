// lesson_export.h — `convscope export-lesson LESSON --out DIR/`: a lesson as a
// self-contained web page for a course site or an LMS. DIR/index.html holds
// the lesson's title and summary and, per slide, its heading, its picture
// (the same renderer as the window): a slide that plays is a GIF of its steps,
// one frame a step at the slide's speed (slide_01.gif); a still slide, or one
// playing more than 400 steps, a PNG at the step it ends on (slide_02.png);
// its caption with the live values filled in, and
// its prediction as a question with the answer in a <details> box (opens
// without scripts). No network, no scripts, the style inline; every image is
// beside index.html.
//
//   exporter::LessonExport r = exporter::export_lesson(lesson, "out/", canvas, 1);
//   r.files == {"slide_01.gif", "slide_02.png", …, "index.html"}
//
// Throws core::Error (a frame over the limits, a file that cannot be written).
// Needs a current GL context (headless_gl.h) for the renderer.
#pragma once

#include <string>
#include <vector>

#include "app/model/lesson.h"
#include "app/render/canvas_renderer.h"

namespace exporter {

struct LessonExport {
  std::vector<std::string> files;  // written into the folder, index.html last
};

LessonExport export_lesson(const model::Lesson& lesson, const std::string& out_dir, render::CanvasRenderer& canvas,
                           int scale);

// Text for HTML: & < > " escaped.
std::string html_escape(const std::string& text);

}  // namespace exporter
