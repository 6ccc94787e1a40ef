#include "app/model/app_state.h"

#include <algorithm>
#include <cmath>

#include "core/errors.h"

namespace model {

bool* view_option(ViewOptions& v, const std::string& name) {
  if (name == "values") return &v.values;
  if (name == "arithmetic") return &v.arithmetic;
  if (name == "formula") return &v.formula;
  if (name == "legend") return &v.legend;
  if (name == "equivalent") return &v.equivalent;
  if (name == "kernel_scale") return &v.kernel_scale;
  if (name == "controls") return &v.controls;
  if (name == "timeline") return &v.timeline;
  if (name == "presets") return &v.presets;
  if (name == "matrix") return &v.matrix;
  return nullptr;
}

bool* pane_view_option(Pane& p, const std::string& name) {
  if (name == "volume") return &p.volume_view;
  if (name == "all_channels") return &p.all_channels;
  return nullptr;
}

void AppState::tick(double dt) {
  if (!playing || panes.empty()) return;
  carry_ += dt * speed;
  const double whole = std::floor(carry_);
  carry_ -= whole;
  const int64_t n = static_cast<int64_t>(std::min(whole, 9.0e18));
  bool all_done = true;
  for (Pane& p : panes) {
    if (n > 0) p.step(n);
    all_done = all_done && p.at_end();
  }
  if (all_done) {
    playing = false;
    carry_ = 0;
  }
}

void AppState::toggle_play() {
  if (!playing && std::all_of(panes.begin(), panes.end(), [](const Pane& p) { return p.at_end(); }))
    for (Pane& p : panes) p.home();
  playing = !playing;
  carry_ = 0;
}

void AppState::set_speed(double s) { speed = std::clamp(s, kMinSpeed, kMaxSpeed); }
void AppState::text_larger() { text_scale = std::clamp(text_scale * kTextScaleStep, kMinTextScale, kMaxTextScale); }
void AppState::text_smaller() { text_scale = std::clamp(text_scale / kTextScaleStep, kMinTextScale, kMaxTextScale); }
void AppState::faster() { set_speed(speed * 2); }
void AppState::slower() { set_speed(speed / 2); }

bool AppState::add_pane(Pane p, std::string* error) {
  if (static_cast<int>(panes.size()) >= kMaxPanes) {
    if (error) *error = core::error_message(core::ErrorCode::too_many_panes, kMaxPanes);
    return false;
  }
  panes.push_back(std::move(p));
  focused = static_cast<int>(panes.size()) - 1;
  return true;
}

void AppState::remove_pane(int index) {
  if (panes.size() <= 1 || index < 0 || index >= static_cast<int>(panes.size())) return;
  Pane& p = panes[static_cast<size_t>(index)];
  p.clear_redo();  // restoring gives the pane back with its undo history; its redo is gone
  removed_.push_back({std::move(p), index, take_history_seq()});
  if (removed_.size() > kMaxRemovedPanes) removed_.erase(removed_.begin());
  panes.erase(panes.begin() + index);
  focused = std::clamp(focused, 0, static_cast<int>(panes.size()) - 1);
}

bool AppState::restore_removed_pane() {
  if (removed_.empty() || static_cast<int>(panes.size()) >= kMaxPanes) return false;
  RemovedPane r = std::move(removed_.back());
  removed_.pop_back();
  const int at = std::clamp(r.index, 0, static_cast<int>(panes.size()));
  panes.insert(panes.begin() + at, std::move(r.pane));
  focused = at;
  return true;
}

bool AppState::can_undo() const {
  return !removed_.empty() || (!panes.empty() && focused_pane().can_undo());
}

bool AppState::undo() {
  if (panes.empty()) return false;
  const uint64_t edit = focused_pane().newest_undo_seq();
  const uint64_t removal = removed_.empty() ? 0 : removed_.back().seq;
  if (removal > edit) return restore_removed_pane();
  return focused_pane().undo();
}

bool AppState::redo() { return !panes.empty() && focused_pane().redo(); }

size_t AppState::undo_bytes() const {
  size_t bytes = 0;
  for (const Pane& p : panes) bytes += p.history_bytes();
  for (const RemovedPane& r : removed_) bytes += r.pane.history_bytes() + scenario_bytes(r.pane.scenario());
  return bytes;
}

void AppState::enforce_undo_budget(size_t budget) {
  size_t bytes = undo_bytes();
  while (bytes > budget) {
    // The oldest thing undo holds: a pane's oldest entry, or a removed pane (whole).
    uint64_t oldest = UINT64_MAX;
    Pane* pane = nullptr;
    size_t removed_at = SIZE_MAX;
    for (Pane& p : panes)
      if (p.oldest_history_seq() < oldest) {
        oldest = p.oldest_history_seq();
        pane = &p;
      }
    for (size_t i = 0; i < removed_.size(); ++i) {
      const uint64_t seq = std::min(removed_[i].seq, removed_[i].pane.oldest_history_seq());
      if (seq < oldest) {
        oldest = seq;
        pane = nullptr;
        removed_at = i;
      }
    }
    if (removed_at != SIZE_MAX) {
      RemovedPane& r = removed_[removed_at];
      // Its own history goes first; the pane itself when nothing older is left in it.
      if (!(r.pane.oldest_history_seq() < r.seq && r.pane.drop_oldest_history()))
        removed_.erase(removed_.begin() + static_cast<std::ptrdiff_t>(removed_at));
    } else if (!pane || !pane->drop_oldest_history()) {
      return;  // nothing left to drop
    }
    bytes = undo_bytes();
  }
}

void AppState::set_result_worker(const std::shared_ptr<ResultWorker>& worker) {
  for (Pane& p : panes) p.set_result_worker(worker);
}

core::Scenario other_op_on_output(const core::Scenario& s, const core::Tensor* output) {
  core::Scenario d = s;
  const bool to_transpose = s.spec.op == core::Op::conv2d;
  d.spec.op = to_transpose ? core::Op::conv2d_transpose : core::Op::conv2d;
  if (!to_transpose) d.spec.output_padding.reset();
  d.name.clear();
  d.description.clear();
  if (!output) return d;
  // The other op applied to this one's output gives back this one's input size:
  // the output becomes the input and the kernel's channel axes swap.
  d.input = *output;
  d.kernel = core::Kernel(s.kernel.kh, s.kernel.kw, s.kernel.out_channels, s.kernel.in_channels);
  for (int64_t y = 0; y < s.kernel.kh; ++y)
    for (int64_t x = 0; x < s.kernel.kw; ++x)
      for (int64_t i = 0; i < s.kernel.in_channels; ++i)
        for (int64_t o = 0; o < s.kernel.out_channels; ++o) d.kernel.at(y, x, o, i) = s.kernel.at(y, x, i, o);
  if (d.bias) d.bias = std::vector<double>(static_cast<size_t>(s.kernel.in_channels), 0.0);
  return d;
}

bool AppState::duplicate_as_other_op(int index) {
  Pane& src = panes.at(static_cast<size_t>(index));
  const core::Scenario& s = src.scenario();
  std::vector<core::Scenario> candidates;
  // Only when the output is at hand: a large one still computing is not waited for.
  if (std::optional<core::Tensor> out = src.final_output()) candidates.push_back(other_op_on_output(s, &*out));
  candidates.push_back(other_op_on_output(s, nullptr));
  std::string why;
  for (core::Scenario& candidate : candidates) {
    try {
      Pane p(std::move(candidate));
      p.set_result_worker(src.result_worker());
      if (!add_pane(std::move(p), &why)) break;
      return true;
    } catch (const core::Error& e) {
      if (why.empty()) why = e.what();
    }
  }
  src.set_error(why);
  return false;
}

void AppState::set_all_cursors(int64_t n) {
  for (Pane& p : panes) p.set_cursor(std::min(n, p.last_step()));
}

AppState seed_state(const std::string& presets_dir) {
  AppState st;
  for (const char* name : {"seed_conv2d.json", "seed_conv2d_transpose.json"}) {
    const std::string path = presets_dir.empty() ? std::string() : presets_dir + "/" + name;
    try {
      st.panes.emplace_back(core::load_scenario(path), path);
      continue;
    } catch (const core::Error&) {
    }
    // Built in, for a binary without its assets.
    core::Scenario s;
    const bool conv = std::string(name) == "seed_conv2d.json";
    s.spec.op = conv ? core::Op::conv2d : core::Op::conv2d_transpose;
    s.input = conv ? core::Tensor(3, 3, 1, 1.0) : core::Tensor(2, 2, 1, 1.0);
    s.kernel = core::Kernel(2, 2, 1, 1, 1.0);
    s.name = conv ? "Seed: Conv2D shrinks 3×3 to 2×2" : "Seed: Conv2DTranspose enlarges 2×2 to 3×3";
    st.panes.emplace_back(std::move(s));
  }
  st.focused = 0;
  return st;
}

}  // namespace model
