// result_worker.h — large direct results computed off the UI thread.
//
// A pane's output grid needs the direct result of its scenario (Trace::
// final_output / partial_output). A Trace computes it once and thread-safely
// (core/trace.h), so the window hands every trace whose result is large (more
// than kBackgroundMacs multiply-accumulates) to one ResultWorker; meanwhile the
// pane keeps stepping (step(n) is O(kernel)) and its output grid says
// "computing …" (Pane::result_state). One thread, one compute at a time: the
// machine has two cores and the UI keeps the other.
//
// The worker holds traces weakly: a trace the pane has replaced by an edit
// before its turn is skipped. A compute in progress cannot be interrupted; it
// is bounded by core::limits::kMaxFullComputeMacs (a few seconds). When a
// result is ready or has failed, `on_ready` is called from the worker's thread
// (the window posts an empty GLFW event there, so an idle window redraws).
//
//   auto worker = std::make_shared<model::ResultWorker>([] { glfwPostEmptyEvent(); });
//   pane.set_result_worker(worker);   // large results now come from the worker
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/trace.h"

namespace model {

// Results of more multiply-accumulates than this are computed in the
// background when a worker is attached (about 50 ms of work on one core).
constexpr int64_t kBackgroundMacs = 50'000'000;

class ResultWorker {
 public:
  explicit ResultWorker(std::function<void()> on_ready = {});
  // Does not wait for a compute in progress: the thread finishes it on its own
  // (it owns what it uses) and exits.
  ~ResultWorker();
  ResultWorker(const ResultWorker&) = delete;
  ResultWorker& operator=(const ResultWorker&) = delete;

  // Queues `trace` unless it already has its result, is queued or is computing.
  void submit(const std::shared_ptr<const core::Trace>& trace);
  // Why computing `trace` failed (e.g. out of memory); nullopt if it did not.
  std::optional<std::string> failure(const core::Trace* trace) const;
  // Something is queued or being computed.
  bool busy() const;
  // Blocks until nothing is queued or computing (tests).
  void wait_idle() const;

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
};

}  // namespace model
