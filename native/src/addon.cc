// The JS face of the native layer: runDriver (a promise, off the JS thread, cancellable through
// a shared Int32Array), NativeSession (session.cc: single infer() calls for the accuracy
// pipeline), feedThroughLut (feed.cc), and what was compiled in. No policy here: TypeScript
// decides what to run and computes statistics.
#include <napi.h>

#include <atomic>
#include <cstring>

#include "backend.h"
#include "driver.h"
#include "feed.h"
#include "napi_convert.h"
#include "session.h"

namespace infergate {
namespace {

double numberOr(const Napi::Object& o, const char* key, double fallback) {
  Napi::Value v = o.Get(key);
  return v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : fallback;
}

Napi::Float64Array toFloat64Array(Napi::Env env, const std::vector<double>& v) {
  auto arr = Napi::Float64Array::New(env, v.size());
  if (!v.empty()) std::memcpy(arr.Data(), v.data(), v.size() * sizeof(double));
  return arr;
}

class DriverWorker : public Napi::AsyncWorker {
 public:
  DriverWorker(Napi::Env env, DriverConfig cfg, Napi::Int32Array cancel)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), cfg_(std::move(cfg)) {
    if (!cancel.IsEmpty() && cancel.ElementLength() >= 1) {
      cancelRef_ = Napi::Persistent(cancel);  // keeps the shared memory alive while we read it
      cancel_ = reinterpret_cast<const std::atomic<int32_t>*>(cancel.Data());
    }
  }
  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    try {
      result_ = runDriver(cfg_, cancel_);
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Object out = Napi::Object::New(env);
    Napi::Array threads = Napi::Array::New(env, result_.threads.size());
    for (size_t i = 0; i < result_.threads.size(); ++i) {
      const ThreadTimeline& t = result_.threads[i];
      Napi::Object o = Napi::Object::New(env);
      o.Set("starts", toFloat64Array(env, t.starts));
      o.Set("ends", toFloat64Array(env, t.ends));
      o.Set("deviceMs", toFloat64Array(env, t.deviceMs));
      o.Set("sessionCreateMs", t.sessionCreateMs);
      o.Set("firstCallMs", t.firstCallMs);
      o.Set("warmupCalls", Napi::Number::New(env, static_cast<double>(t.warmupCalls)));
      o.Set("stoppedBy", t.stoppedBy);
      threads.Set(static_cast<uint32_t>(i), o);
    }
    out.Set("threads", threads);
    deferred_.Resolve(out);
  }

  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  DriverConfig cfg_;
  Napi::Reference<Napi::Int32Array> cancelRef_;
  const std::atomic<int32_t>* cancel_ = nullptr;
  DriverResult result_;
};

// runDriver({ backend, artifact, options, threads, warmupSeconds, warmupIterations, minSeconds,
//             minIterations, maxSeconds, cancel?: Int32Array on a SharedArrayBuffer })
Napi::Value RunDriver(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) throw Napi::TypeError::New(env, "runDriver expects a config object");
  Napi::Object c = info[0].As<Napi::Object>();
  DriverConfig cfg;
  cfg.backend = c.Get("backend").ToString();
  cfg.artifact = c.Has("artifact") ? std::string(c.Get("artifact").ToString()) : std::string();
  cfg.options = toOptions(c.Get("options"));
  cfg.threads = static_cast<int>(numberOr(c, "threads", 1));
  cfg.warmupSeconds = numberOr(c, "warmupSeconds", 0);
  cfg.warmupIterations = static_cast<int64_t>(numberOr(c, "warmupIterations", 0));
  cfg.minSeconds = numberOr(c, "minSeconds", 0);
  cfg.minIterations = static_cast<int64_t>(numberOr(c, "minIterations", 1));
  cfg.maxSeconds = numberOr(c, "maxSeconds", 60);
  Napi::Value cancel = c.Get("cancel");
  auto* worker = new DriverWorker(env, std::move(cfg), cancel.IsTypedArray() ? cancel.As<Napi::Int32Array>() : Napi::Int32Array());
  Napi::Promise p = worker->Promise();
  worker->Queue();
  return p;
}

Napi::Value CompiledBackends(const Napi::CallbackInfo& info) {
  auto ids = compiledBackends();
  Napi::Array a = Napi::Array::New(info.Env(), ids.size());
  for (size_t i = 0; i < ids.size(); ++i) a.Set(static_cast<uint32_t>(i), ids[i]);
  return a;
}

Napi::Value Versions(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  try {
    auto v = backendFor(info[0].ToString())->versions();
    Napi::Object o = Napi::Object::New(env);
    for (const auto& kv : v) o.Set(kv.first, kv.second);
    return o;
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
}

#ifdef INFERGATE_FAKE_SDK
// Test builds against our fake SDKs only: the fakes' call traces and live-resource counts.
extern "C" {
#ifdef INFERGATE_HBDNN
const char* infergate_fake_hbdnn_report(void);
void infergate_fake_hbdnn_reset(void);
#endif
#ifdef INFERGATE_MAGICMIND
const char* infergate_fake_magicmind_report(void);
void infergate_fake_magicmind_reset(void);
#endif
}

Napi::Value FakeSdkReport(const Napi::CallbackInfo& info) {
  const std::string which = info[0].ToString();
  const bool reset = info.Length() > 1 && info[1].ToBoolean();
#ifdef INFERGATE_HBDNN
  if (which == "hbdnn") {
    if (reset) infergate_fake_hbdnn_reset();
    return Napi::String::New(info.Env(), infergate_fake_hbdnn_report());
  }
#endif
#ifdef INFERGATE_MAGICMIND
  if (which == "magicmind") {
    if (reset) infergate_fake_magicmind_reset();
    return Napi::String::New(info.Env(), infergate_fake_magicmind_report());
  }
#endif
  return info.Env().Undefined();
}
#endif

// clockMs(): now on the driver's clock (the ms its timelines use), so that JS can place the
// measured window on its own clock (telemetry is cut to that window).
Napi::Value ClockMs(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), nowMs()); }

Napi::Object Init(Napi::Env env, Napi::Object exports) {
#ifdef INFERGATE_FAKE_SDK
  exports.Set("fakeSdkReport", Napi::Function::New(env, FakeSdkReport));
#endif
  exports.Set("runDriver", Napi::Function::New(env, RunDriver));
  exports.Set("clockMs", Napi::Function::New(env, ClockMs));
  exports.Set("compiledBackends", Napi::Function::New(env, CompiledBackends));
  exports.Set("versions", Napi::Function::New(env, Versions));
  exports.Set("NativeSession", NativeSessionClass(env));
  exports.Set("feedThroughLut", Napi::Function::New(env, FeedThroughLut));
  return exports;
}

}  // namespace
}  // namespace infergate

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return infergate::Init(env, exports); }

NODE_API_MODULE(infergate_native, InitModule)
