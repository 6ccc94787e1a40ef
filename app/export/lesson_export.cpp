#include "app/export/lesson_export.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "app/export/export_job.h"
#include "app/model/scenario_file.h"
#include "core/errors.h"

namespace exporter {

namespace fs = std::filesystem;

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

// Plain, readable, printable; nothing fetched from anywhere.
constexpr const char* kStyle =
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}"
    "h1{margin-bottom:.2em}.summary{color:#555}section{border-top:1px solid #ccc;margin-top:2em;padding-top:1em}"
    "img{max-width:100%;height:auto;border:1px solid #ddd}.question{color:#1a4da6;font-weight:bold}"
    "details{margin:.5em 0 1em;color:#333}summary{cursor:pointer;color:#1a4da6}";

// A slide that plays more steps than this is shown by its last frame (a PNG).
constexpr int64_t kMaxSlideFrames = 400;

std::string slide_image_name(size_t index, const char* extension) {
  char name[32];
  std::snprintf(name, sizeof name, "slide_%02zu.%s", index + 1, extension);
  return name;
}

// The GIF frames of a playing slide: every pane's steps from the slide's start to
// where it stops (each pane clamped to its own trace, as the window plays it).
int64_t slide_frames(const model::Slide& slide, const std::vector<model::Pane>& panes) {
  int64_t most = 0;
  for (const model::Pane& p : panes) most = std::max(most, FramePlan(p.trace(), slide.first_step, slide.last_step).count());
  return most;
}

// A frame a step at the slide's speed (the window's 2 steps/s when it names none).
int slide_delay_ms(const model::Slide& slide) {
  const double steps_per_second = slide.speed.value_or(2.0);
  return static_cast<int>(std::clamp(1000.0 / steps_per_second, 20.0, 2000.0));  // GIF viewers: ≥ 20 ms; the window: ≥ 0.5 steps/s
}

}  // namespace

LessonExport export_lesson(const model::Lesson& lesson, const std::string& out_dir, render::CanvasRenderer& canvas,
                           int scale) {
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (!fs::is_directory(out_dir, ec))
    core::fail(core::ErrorCode::output_write_failed, core::excerpt(out_dir) + " is not a folder that can be made");
  LessonExport result;
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
       << html_escape(lesson.title) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n<h1>"
       << html_escape(lesson.title) << "</h1>\n";
  if (!lesson.summary.empty()) html << "<p class=\"summary\">" << html_escape(lesson.summary) << "</p>\n";
  model::AppState state;
  for (size_t i = 0; i < lesson.slides.size(); ++i) {
    const model::Slide& slide = lesson.slides[i];
    model::apply_slide(lesson, i, state);
    state.playing = false;
    ExportSettings settings;
    settings.scale = scale;
    settings.canvas.equivalent = slide.equivalent;
    settings.canvas.kernel_own_scale = slide.kernel_scale;
    // A slide that plays is a GIF of its steps; a still one (or a very long play) a PNG of where it ends.
    const bool animated = slide.plays() && slide_frames(slide, state.panes) <= kMaxSlideFrames;
    const std::string image = slide_image_name(i, animated ? "gif" : "png");
    if (animated) {
      settings.format = Format::gif;
      settings.steps = std::make_pair(slide.first_step, slide.last_step);
      settings.delay_ms = slide_delay_ms(slide);
    } else {
      settings.format = Format::png;
      for (model::Pane& p : state.panes) p.set_cursor(slide.last_step);  // where the slide ends (clamped per pane)
    }
    settings.out = (fs::path(out_dir) / image).string();
    ExportJob job(state.panes, settings);
    job.run(canvas);
    result.files.push_back(image);

    const std::string heading = std::to_string(i + 1) + ". " + (slide.title.empty() ? lesson.title : slide.title);
    html << "<section id=\"slide-" << i + 1 << "\">\n<h2>" << html_escape(heading) << "</h2>\n";
    html << "<img src=\"" << image << "\" alt=\"" << html_escape(heading) << "\">\n";
    if (slide.predict) {
      html << "<p class=\"question\">" << html_escape(model::question_of(lesson, i, state)) << "</p>\n";
      html << "<details><summary>Answer</summary><p>" << html_escape(model::answer_of(lesson, i, state))
           << "</p></details>\n";
    }
    html << "<p>" << html_escape(model::caption_of(lesson, i, state)) << "</p>\n</section>\n";
  }
  html << "<p class=\"summary\">Made with convscope (export-lesson " << html_escape(lesson.stem)
       << "). Open the lesson in the app: <code>convscope --lesson " << html_escape(lesson.stem)
       << "</code>.</p>\n</body>\n</html>\n";
  const std::string error = model::save_text_atomically((fs::path(out_dir) / "index.html").string(), html.str());
  if (!error.empty()) core::fail(core::ErrorCode::output_write_failed, error);
  result.files.push_back("index.html");
  return result;
}

}  // namespace exporter
