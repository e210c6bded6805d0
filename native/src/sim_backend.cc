// The simulated device: K cores shared by every session naming the same device, a service time
// of fixed + per-image x batch (+ seeded jitter), queueing when all cores are busy, and precise
// waits. Deterministic outputs (a class per image from its bytes) for the accuracy path, and
// injected faults (load failure, error, abort, hang) for the robustness tests.
#include <chrono>
#include <cmath>
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "backend.h"

namespace infergate {
namespace {

using Clock = std::chrono::steady_clock;

// The device as a schedule, not a lock: each core knows when it is next free. A call books the
// earliest-free core from max(now, free-at) for its service time and sleeps until its own end.
// That is exact K-server FIFO queueing, with no wake-up hand-off between threads to blur it.
struct SimDevice {
  std::mutex m;
  std::vector<Clock::time_point> freeAt;
  explicit SimDevice(int cores) : freeAt(static_cast<size_t>(cores), Clock::time_point::min()) {}

  Clock::time_point book(Clock::time_point now, std::chrono::nanoseconds service) {
    std::lock_guard<std::mutex> lk(m);
    auto core = std::min_element(freeAt.begin(), freeAt.end());
    const auto start = std::max(now, *core);
    *core = start + service;
    return *core;
  }
};

std::mutex gDevicesMutex;
std::map<std::string, std::shared_ptr<SimDevice>> gDevices;

std::shared_ptr<SimDevice> deviceFor(const std::string& name, int cores) {
  std::lock_guard<std::mutex> lk(gDevicesMutex);
  const std::string key = name + "#" + std::to_string(cores);
  auto& d = gDevices[key];
  if (!d) d = std::make_shared<SimDevice>(cores);
  return d;
}

// Sleep to just before the deadline, then spin the rest: microsecond accuracy without burning a
// core for the whole service time. At most one spinner per hardware core: more would starve
// each other (4 simulated cores on a 2-core host), so the rest sleep to the deadline instead.
std::atomic<int> gSpinners{0};
const int kHardwareCores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));

void waitUntil(Clock::time_point deadline, std::chrono::microseconds spin) {
  if (deadline - Clock::now() > spin) std::this_thread::sleep_until(deadline - spin);
  if (gSpinners.fetch_add(1) < kHardwareCores) {
    while (Clock::now() < deadline) {
    }
  } else {
    std::this_thread::sleep_until(deadline);
  }
  gSpinners.fetch_sub(1);
}

class SimSession : public Session {
 public:
  SimSession(const Options& o) {
    const std::string failLoad = optionString(o, "fail_load", "");
    if (!failLoad.empty()) throw BackendError("sim: cannot load model: " + failLoad);
    cores_ = static_cast<int>(optionNumber(o, "cores", 1));
    if (cores_ < 1) throw BackendError("sim: option 'cores' must be at least 1");
    fixedUs_ = optionNumber(o, "fixed_us", 1000);
    perImageUs_ = optionNumber(o, "per_image_us", 0);
    hostUs_ = optionNumber(o, "host_us", 0);
    jitter_ = optionNumber(o, "jitter", 0);
    batch_ = static_cast<int64_t>(optionNumber(o, "batch", 1));
    classes_ = static_cast<int64_t>(optionNumber(o, "classes", 1000));
    failAfter_ = static_cast<int64_t>(optionNumber(o, "fail_after", -1));
    abortAfter_ = static_cast<int64_t>(optionNumber(o, "abort_after", -1));
    hangAfter_ = static_cast<int64_t>(optionNumber(o, "hang_after", -1));
    timeoutMs_ = static_cast<int64_t>(optionNumber(o, "timeout_ms", -1));
    spin_ = std::chrono::microseconds(static_cast<int64_t>(optionNumber(o, "spin_us", 60)));
    const auto seed = static_cast<uint32_t>(optionNumber(o, "seed", 1) + 7919 * optionNumber(o, "thread_index", 0));
    rng_.seed(seed);
    device_ = deviceFor(optionString(o, "device", "sim"), cores_);

    TensorDesc in;
    in.name = "data";
    in.dtype = optionString(o, "input_dtype", "uint8") == "float32" ? DType::F32 : DType::U8;
    in.dims = optionDims(o, "input_dims", {3, 224, 224});
    in.dims.insert(in.dims.begin(), batch_);
    in.layout = optionString(o, "input_layout", "NCHW");
    in.bytes = dtypeSize(in.dtype);
    for (size_t i = 1; i < in.dims.size(); ++i) in.bytes *= static_cast<size_t>(in.dims[i]);
    perImageBytes_ = in.bytes;
    in.bytes *= static_cast<size_t>(batch_);
    inputs_.push_back(in);
    input_.assign(in.bytes, 0);

    TensorDesc out;
    out.name = "logits";
    out.dtype = DType::F32;
    out.dims = {batch_, classes_};
    out.bytes = static_cast<size_t>(batch_ * classes_) * 4;
    outputs_.push_back(out);
  }

  const std::vector<TensorDesc>& inputs() const override { return inputs_; }
  const std::vector<TensorDesc>& outputs() const override { return outputs_; }

  void setInput(size_t index, const void* data, size_t bytes) override {
    if (index != 0) throw BackendError("sim: the model has one input");
    if (bytes != input_.size()) throw BackendError("sim: input of " + std::to_string(bytes) + " bytes, expected " + std::to_string(input_.size()));
    std::memcpy(input_.data(), data, bytes);
  }

  InferTiming infer() override {
    ++calls_;
    if (abortAfter_ >= 0 && calls_ > abortAfter_) std::abort();  // a driver crash, as a segfault would be
    if (hangAfter_ >= 0 && calls_ > hangAfter_) {
      // A hung device: with a task timeout the call gives up as a vendor runtime's wait would;
      // without one only the case watchdog ends it.
      if (timeoutMs_ > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(timeoutMs_));
        throw BackendError("sim: no answer within " + std::to_string(timeoutMs_) + " ms (native.timeoutMs) after " + std::to_string(hangAfter_) + " calls (injected hang)");
      }
      for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
    }
    if (failAfter_ >= 0 && calls_ > failAfter_) throw BackendError("sim: device error after " + std::to_string(failAfter_) + " calls (injected)");
    double us = fixedUs_ + perImageUs_ * static_cast<double>(batch_);
    if (jitter_ > 0) us *= std::max(0.0, 1.0 + jitter_ * normal_(rng_));
    // Host-side time (pre/post-processing, transfers) runs in parallel across threads; only the
    // device time is booked on the shared cores.
    auto now = Clock::now();
    if (hostUs_ > 0) {
      now += std::chrono::nanoseconds(static_cast<int64_t>(hostUs_ * 1000.0));
      waitUntil(now, spin_);
    }
    const auto end = device_->book(now, std::chrono::nanoseconds(static_cast<int64_t>(us * 1000.0)));
    waitUntil(end, spin_);
    return InferTiming{us / 1000.0};
  }

  void readOutput(size_t index, std::vector<float>& out) override {
    if (index != 0) throw BackendError("sim: the model has one output");
    out.assign(static_cast<size_t>(batch_ * classes_), 0.0f);
    for (int64_t b = 0; b < batch_; ++b) {
      // FNV-1a of the image's bytes picks its class: same input, same answer.
      uint32_t h = 2166136261u;
      const uint8_t* p = input_.data() + static_cast<size_t>(b) * perImageBytes_;
      for (size_t i = 0; i < perImageBytes_; ++i) h = (h ^ p[i]) * 16777619u;
      out[static_cast<size_t>(b * classes_ + static_cast<int64_t>(h % static_cast<uint32_t>(classes_)))] = 10.0f;
    }
  }

 private:
  int cores_ = 1;
  double fixedUs_ = 1000, perImageUs_ = 0, hostUs_ = 0, jitter_ = 0;
  int64_t batch_ = 1, classes_ = 1000, calls_ = 0;
  int64_t failAfter_ = -1, abortAfter_ = -1, hangAfter_ = -1, timeoutMs_ = -1;
  size_t perImageBytes_ = 0;
  std::mt19937 rng_;
  std::normal_distribution<double> normal_{0.0, 1.0};
  std::chrono::microseconds spin_{60};
  std::shared_ptr<SimDevice> device_;
  std::vector<TensorDesc> inputs_, outputs_;
  std::vector<uint8_t> input_;
};

class SimBackend : public Backend {
 public:
  std::unique_ptr<Session> open(const std::string&, const Options& options) override { return std::make_unique<SimSession>(options); }
  std::map<std::string, std::string> versions() override { return {{"sim", "infergate-sim 1 (simulated device, no hardware)"}}; }
};

}  // namespace

std::shared_ptr<Backend> makeSimBackend() { return std::make_shared<SimBackend>(); }

}  // namespace infergate
