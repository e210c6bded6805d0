// The benchmark driver: N std::threads, each with its own session, warm-up, a barrier, then
// calls until BOTH the minimum duration and the minimum call count hold (or the maximum
// duration, or a cancel request). Per-call steady_clock timestamps are all it returns.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "backend.h"

namespace infergate {

struct DriverConfig {
  std::string backend;
  std::string artifact;
  Options options;
  int threads = 1;
  double warmupSeconds = 0;
  int64_t warmupIterations = 0;
  double minSeconds = 0;
  int64_t minIterations = 1;
  double maxSeconds = 60;
};

struct ThreadTimeline {
  std::vector<double> starts;  // ms on the driver's clock, call order
  std::vector<double> ends;
  std::vector<double> deviceMs;  // device compute time per call where the backend reports it
  double sessionCreateMs = 0;
  double firstCallMs = 0;
  int64_t warmupCalls = 0;
  std::string stoppedBy = "policy";
};

struct DriverResult {
  std::vector<ThreadTimeline> threads;
};

// Milliseconds on one steady clock shared by every thread of the process.
double nowMs();

// Throws BackendError with the first thread's failure; other threads are stopped first.
// cancel: polled between calls; non-zero stops every thread after its current call.
DriverResult runDriver(const DriverConfig& config, const std::atomic<int32_t>* cancel);

// Deterministic input bytes (a seeded xorshift), the same for every run of a config.
void fillDeterministic(std::vector<uint8_t>& buf, DType dtype, uint32_t seed);

}  // namespace infergate
