// channel_sum.h — the sum over channels of the output cell the current step
// writes, broken down per input channel, as the steps so far have filled it.
//
// A Conv2D output cell is a sum over its input channels of kh·kw products
// each; beginners see one 2-D slice and miss that sum. The breakdown names it:
//   "y[1,0,0] = c0: 3, c1: −1, c2: 4 → 6, + b = 7"
// Channels not reached yet show "·"; the bias only once its step is done.
// Grouped and depthwise ops list only the channels of the filter's group.
// A transposed convolution gets the same breakdown for the output cell its
// current scatter lands on (none while that lands on a cropped cell).
//
//   const model::ChannelSum cs = model::channel_sum(pane);   // O(kh·kw·C/g) per call
//   if (cs.available) draw(model::channel_sum_text(cs));
//
// No GL, no ImGui. Every step number comes from core::StepCoder (geometry.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/model/pane.h"

namespace model {

struct ChannelPart {
  int64_t channel = 0;  // the real input channel
  double sum = 0;       // its products done so far
  int64_t taps_done = 0, taps = 0;
};

struct ChannelSum {
  bool available = false;  // false before the first step or on a cropped scatter
  core::Cell output;       // (y, x, f)
  std::string name;        // "y[1,0,2]" in the pane's convention (arithmetic_text.h)
  int64_t group = 0, groups = 1;
  std::vector<ChannelPart> parts;  // the group's input channels, in order
  double total = 0;                // the parts' sum
  bool has_bias = false, bias_done = false;
  double bias = 0;
  double value = 0;  // total, plus the bias once its step is done
};

ChannelSum channel_sum(const Pane& p);

// "y[1,0,0] = c0: 3, c1: −1, c2: 4 → 6, + b = 7" (numbers as core::format_short writes them).
std::string channel_sum_text(const ChannelSum& cs);

// "group 1 of 2: c2–c3 → f2–f3", or "" for an op without groups.
std::string group_text(const core::Geometry& g, int64_t group);

}  // namespace model
