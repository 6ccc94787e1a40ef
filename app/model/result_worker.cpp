#include "app/model/result_worker.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

#include "core/errors.h"

namespace model {

struct ResultWorker::Shared {
  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::deque<std::weak_ptr<const core::Trace>> queue;
  const core::Trace* computing = nullptr;
  struct Failure {
    std::weak_ptr<const core::Trace> trace;
    std::string message;
  };
  std::vector<Failure> failures;
  std::function<void()> on_ready;
  bool stop = false;
  bool started = false;

  void run();
};

void ResultWorker::Shared::run() {
  // Termination signals go to the main thread, whose loop saves the session.
  sigset_t block;
  sigemptyset(&block);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&block, s);
  pthread_sigmask(SIG_BLOCK, &block, nullptr);
  std::unique_lock<std::mutex> lock(mutex);
  for (;;) {
    changed.wait(lock, [&] { return stop || !queue.empty(); });
    if (stop) return;
    std::shared_ptr<const core::Trace> trace = queue.front().lock();
    queue.pop_front();
    if (!trace || trace->has_result()) {  // replaced by an edit, or computed meanwhile
      changed.notify_all();
      continue;
    }
    computing = trace.get();
    lock.unlock();
    std::string failed;
    try {
      trace->final_output();
    } catch (const std::bad_alloc&) {
      failed = core::error_message(core::ErrorCode::out_of_memory, "compute the output");
    } catch (const std::exception& e) {
      failed = e.what();
    }
    lock.lock();
    computing = nullptr;
    if (!failed.empty()) failures.push_back({trace, failed});
    if (on_ready) on_ready();
    changed.notify_all();
    // This thread may hold the last reference: free the trace and its result outside the lock.
    lock.unlock();
    trace.reset();
    lock.lock();
  }
}

ResultWorker::ResultWorker(std::function<void()> on_ready) : shared_(std::make_shared<Shared>()) {
  shared_->on_ready = std::move(on_ready);
}

ResultWorker::~ResultWorker() {
  std::unique_lock<std::mutex> lock(shared_->mutex);
  shared_->stop = true;
  shared_->on_ready = nullptr;  // the window may be gone by the time a compute ends
  shared_->changed.notify_all();
}

void ResultWorker::submit(const std::shared_ptr<const core::Trace>& trace) {
  if (!trace || trace->has_result()) return;
  std::lock_guard<std::mutex> lock(shared_->mutex);
  Shared& s = *shared_;
  if (s.computing == trace.get()) return;
  s.failures.erase(std::remove_if(s.failures.begin(), s.failures.end(), [](const Shared::Failure& f) { return f.trace.expired(); }),
                   s.failures.end());
  for (const Shared::Failure& f : s.failures)
    if (f.trace.lock() == trace) return;  // failed once: not again for the same trace
  s.queue.erase(std::remove_if(s.queue.begin(), s.queue.end(), [](const auto& w) { return w.expired(); }), s.queue.end());
  for (const auto& w : s.queue)
    if (w.lock() == trace) return;
  s.queue.push_back(trace);
  if (!s.started) {
    s.started = true;
    // Detached: the thread owns `shared_` and ends on `stop`; a compute it is in
    // the middle of when the window closes does not hold up the exit.
    std::thread([shared = shared_] { shared->run(); }).detach();
  }
  s.changed.notify_all();
}

std::optional<std::string> ResultWorker::failure(const core::Trace* trace) const {
  std::lock_guard<std::mutex> lock(shared_->mutex);
  for (const Shared::Failure& f : shared_->failures) {
    const auto t = f.trace.lock();
    if (t && t.get() == trace) return f.message;
  }
  return std::nullopt;
}

bool ResultWorker::busy() const {
  std::lock_guard<std::mutex> lock(shared_->mutex);
  return shared_->computing || !shared_->queue.empty();
}

void ResultWorker::wait_idle() const {
  std::unique_lock<std::mutex> lock(shared_->mutex);
  shared_->changed.wait(lock, [&] { return !shared_->computing && shared_->queue.empty(); });
}

}  // namespace model
