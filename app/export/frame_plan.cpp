#include "app/export/frame_plan.h"

#include <algorithm>

namespace exporter {

const char* per_name(Per per) {
  switch (per) {
    case Per::step: return "step";
    case Per::cell: return "cell";
    case Per::key: return "key";
  }
  return "step";
}

std::optional<Per> parse_per(std::string_view text) {
  for (Per p : {Per::step, Per::cell, Per::key})
    if (text == per_name(p)) return p;
  return std::nullopt;
}

FramePlan::FramePlan(const core::Trace& trace, Per per) : trace_(trace), per_(per) {
  switch (per) {
    case Per::step: count_ = trace_.count(); break;
    case Per::cell: count_ = trace_.unit_count(); break;
    case Per::key:
      // Units end in increasing order and the last one ends on the final step, so
      // the only possible duplicate is step 0 when unit 0 is a single step.
      key_offset_ = trace_.last_step_of_unit(0) == 0 ? 0 : 1;
      count_ = trace_.unit_count() + key_offset_;
      break;
  }
}

FramePlan::FramePlan(const core::Trace& trace, int64_t first, int64_t last) : trace_(trace), per_(Per::step) {
  const int64_t end = trace_.count() - 1;
  first_step_ = std::clamp<int64_t>(first, -1, end);
  count_ = std::clamp<int64_t>(last, -1, end) - first_step_ + 1;
  count_ = std::max<int64_t>(count_, 1);
}

int64_t FramePlan::step_of(int64_t frame) const {
  switch (per_) {
    case Per::step: return first_step_ + frame;
    case Per::cell: return trace_.last_step_of_unit(frame);
    case Per::key: return key_offset_ && frame == 0 ? 0 : trace_.last_step_of_unit(frame - key_offset_);
  }
  return frame;
}

Schedule::Schedule(std::vector<FramePlan> panes) : plans_(std::move(panes)) {
  for (const FramePlan& p : plans_) count_ = std::max(count_, p.count());
}

std::vector<int64_t> Schedule::steps_of(int64_t frame) const {
  std::vector<int64_t> steps;
  steps.reserve(plans_.size());
  for (const FramePlan& p : plans_) steps.push_back(p.step_of(std::min(frame, p.count() - 1)));
  return steps;
}

bool is_large_export(int64_t frames) { return frames > kLargeExportFrames; }

std::string frame_count_text(int64_t frames, Per per) {
  std::string text = std::to_string(frames) + (frames == 1 ? " frame" : " frames");
  if (is_large_export(frames)) {
    text += " - more than " + std::to_string(kLargeExportFrames) + "; ";
    text += per == Per::step ? "try one frame per cell or only the key frames" : "try only the key frames";
  }
  return text;
}

}  // namespace exporter
