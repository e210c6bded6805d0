#include "driver.h"

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#ifdef __linux__
#include <sys/prctl.h>
#endif

namespace infergate {

using Clock = std::chrono::steady_clock;
static const Clock::time_point kEpoch = Clock::now();

double nowMs() { return std::chrono::duration<double, std::milli>(Clock::now() - kEpoch).count(); }

void fillDeterministic(std::vector<uint8_t>& buf, DType dtype, uint32_t seed) {
  uint32_t x = seed ? seed : 1u;
  auto next = [&x]() {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
  };
  if (dtype == DType::F32) {
    // Values like a normalised image (-2..2): no denormals, nothing the kernels would skip.
    for (size_t i = 0; i + 4 <= buf.size(); i += 4) {
      float v = static_cast<float>(next() % 40000) / 10000.0f - 2.0f;
      std::memcpy(&buf[i], &v, 4);
    }
  } else {
    for (auto& b : buf) b = static_cast<uint8_t>(next() & 0xff);
  }
}

namespace {

struct Shared {
  std::mutex m;
  std::condition_variable cv;
  int ready = 0;
  bool go = false;
  bool abandon = false;
  std::atomic<bool> stop{false};
  std::string error;

  void fail(int index, const std::string& message) {
    std::lock_guard<std::mutex> lk(m);
    if (error.empty()) error = "thread " + std::to_string(index) + ": " + message;
    stop = true;
  }
};

}  // namespace

DriverResult runDriver(const DriverConfig& cfg, const std::atomic<int32_t>* cancel) {
  if (cfg.threads < 1) throw BackendError("threads must be at least 1");
  auto backend = backendFor(cfg.backend);
  DriverResult result;
  result.threads.resize(cfg.threads);
  Shared sh;
  auto cancelled = [cancel]() { return cancel && cancel->load(std::memory_order_relaxed) != 0; };

  auto body = [&](int index) {
#ifdef __linux__
    prctl(PR_SET_TIMERSLACK, 1UL);  // 1 ns slack: sleeps end when asked, not 50 us later
#endif
    ThreadTimeline& tl = result.threads[index];
    std::unique_ptr<Session> session;
    try {
      Options opts = cfg.options;
      opts["thread_index"] = std::to_string(index);
      double t0 = nowMs();
      session = backend->open(cfg.artifact, opts);
      tl.sessionCreateMs = nowMs() - t0;
      for (size_t i = 0; i < session->inputs().size(); ++i) {
        const TensorDesc& d = session->inputs()[i];
        std::vector<uint8_t> buf(d.bytes);
        fillDeterministic(buf, d.dtype, 7u + static_cast<uint32_t>(index) * 131u + static_cast<uint32_t>(i));
        session->setInput(i, buf.data(), buf.size());
      }
      double w0 = nowMs();
      session->infer();
      tl.firstCallMs = nowMs() - w0;
      tl.warmupCalls = 1;
      while ((tl.warmupCalls < cfg.warmupIterations || nowMs() - w0 < cfg.warmupSeconds * 1000.0) && !sh.stop && !cancelled()) {
        session->infer();
        tl.warmupCalls++;
      }
    } catch (const std::exception& e) {
      sh.fail(index, e.what());
    } catch (...) {
      sh.fail(index, "unknown error");
    }
    {
      // Barrier: every thread warm (or failed) before any measures.
      std::unique_lock<std::mutex> lk(sh.m);
      sh.ready++;
      sh.cv.notify_all();
      sh.cv.wait(lk, [&] { return sh.go || sh.abandon; });
    }
    if (sh.abandon || !session) return;
    try {
      const double start = nowMs();
      const double deadline = start + cfg.maxSeconds * 1000.0;
      for (;;) {
        const double a = nowMs();
        InferTiming t = session->infer();
        const double b = nowMs();
        tl.starts.push_back(a);
        tl.ends.push_back(b);
        tl.deviceMs.push_back(t.deviceMs);
        const auto n = static_cast<int64_t>(tl.starts.size());
        if (b - start >= cfg.minSeconds * 1000.0 && n >= cfg.minIterations) break;
        if (b >= deadline) {
          tl.stoppedBy = "max-duration";
          break;
        }
        if (cancelled() || sh.stop) {
          tl.stoppedBy = "stop-request";
          break;
        }
      }
      session.reset();  // closed on the thread that used it
    } catch (const std::exception& e) {
      sh.fail(index, e.what());
    } catch (...) {
      sh.fail(index, "unknown error");
    }
  };

  std::vector<std::thread> threads;
  threads.reserve(cfg.threads);
  for (int i = 0; i < cfg.threads; ++i) threads.emplace_back(body, i);
  bool interrupted = false;
  {
    std::unique_lock<std::mutex> lk(sh.m);
    sh.cv.wait(lk, [&] { return sh.ready == cfg.threads; });
    if (sh.stop || cancelled()) {
      sh.abandon = true;
      interrupted = !sh.stop;
    } else {
      sh.go = true;
    }
    sh.cv.notify_all();
  }
  for (auto& t : threads) t.join();
  if (!sh.error.empty()) throw BackendError(sh.error);
  if (interrupted) throw BackendError("measurement interrupted before it started");
  return result;
}

}  // namespace infergate
