// frame_plan.h — which trace steps become the frames of an export.
//
//   exporter::FramePlan plan(trace, exporter::Per::cell);
//   plan.count();        // known before anything is rendered
//   plan.step_of(i);     // the step whose state frame i shows, O(1)
//
//   step — every multiply-accumulate / scatter: exactly trace.count() frames;
//   cell — one frame per unit (output cell for Conv2D and for a transpose
//          traced in gather order, input cell for a scattering Conv2DTranspose,
//          plus the scatter's bias unit), after its last step;
//   key  — the first step, each unit's last step and the final step, without
//          duplicates (the final step is always the last unit's last step).
//
// A Schedule moves several panes together the way the window's shared play
// does: frame i shows every pane at its own plan's frame min(i, its count − 1),
// so a pane that reaches its end waits there. Nothing here renders; the plan
// never stores its frames (a per-step plan can have billions).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/trace.h"

namespace exporter {

enum class Per { step, cell, key };

const char* per_name(Per per);                       // "step", "cell", "key"
std::optional<Per> parse_per(std::string_view text);  // nullopt if unknown

// Above this many frames the app warns and offers `cell` or `key`.
constexpr int64_t kLargeExportFrames = 10000;

class FramePlan {
 public:
  FramePlan(const core::Trace& trace, Per per);
  // One frame per step from `first` to `last` (a lesson slide's play range),
  // both clamped to the trace: −1 (before the first step) … count() − 1.
  FramePlan(const core::Trace& trace, int64_t first, int64_t last);

  Per per() const { return per_; }
  int64_t count() const { return count_; }
  // The step shown by frame `frame` (0 ≤ frame < count()).
  int64_t step_of(int64_t frame) const;

 private:
  core::Trace trace_;  // a cheap copy: shares the scenario
  Per per_;
  int64_t count_ = 0;
  int64_t key_offset_ = 0;  // key: 1 if step 0 is a frame of its own before unit 0's last step
  int64_t first_step_ = 0;  // step: the step of frame 0
};

class Schedule {
 public:
  Schedule() = default;
  explicit Schedule(std::vector<FramePlan> panes);

  int64_t count() const { return count_; }  // the longest pane's frame count
  size_t panes() const { return plans_.size(); }
  // Every pane's step for frame `frame`.
  std::vector<int64_t> steps_of(int64_t frame) const;
  const FramePlan& plan(size_t pane) const { return plans_[pane]; }

 private:
  std::vector<FramePlan> plans_;
  int64_t count_ = 0;
};

// The line the GUI shows above the Start button ("4 frames", or a warning
// suggesting `cell` / `key` above kLargeExportFrames).
std::string frame_count_text(int64_t frames, Per per);
bool is_large_export(int64_t frames);

}  // namespace exporter
