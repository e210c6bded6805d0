// NativeSession (new NativeSession(backend, artifact, options); inputs(), outputs(), infer(),
// close()): one inference per call, off the JS thread, for the accuracy pipeline. Measurement
// runs through runDriver (addon.cc) instead.
#include "session.h"

#include <cstring>
#include <mutex>

#include "backend.h"
#include "napi_convert.h"

namespace infergate {
namespace {

class NativeSession : public Napi::ObjectWrap<NativeSession> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "NativeSession",
                       {InstanceMethod("inputs", &NativeSession::Inputs), InstanceMethod("outputs", &NativeSession::Outputs),
                        InstanceMethod("infer", &NativeSession::Infer), InstanceMethod("close", &NativeSession::Close)});
  }

  // new NativeSession(backend, artifact, options)
  NativeSession(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeSession>(info) {
    try {
      backend_ = backendFor(info[0].ToString());
      session_ = backend_->open(info[1].ToString(), toOptions(info[2]));
    } catch (const std::exception& e) {
      throw Napi::Error::New(info.Env(), e.what());
    }
  }

  std::mutex mutex;
  std::unique_ptr<Session>& session() { return session_; }

 private:
  Napi::Value Inputs(const Napi::CallbackInfo& info) { return list(info.Env(), true); }
  Napi::Value Outputs(const Napi::CallbackInfo& info) { return list(info.Env(), false); }

  Napi::Value list(Napi::Env env, bool inputs) {
    if (!session_) throw Napi::Error::New(env, "session is closed");
    const auto& ds = inputs ? session_->inputs() : session_->outputs();
    Napi::Array a = Napi::Array::New(env, ds.size());
    for (size_t i = 0; i < ds.size(); ++i) a.Set(static_cast<uint32_t>(i), describe(env, ds[i]));
    return a;
  }

  Napi::Value Infer(const Napi::CallbackInfo& info);

  Napi::Value Close(const Napi::CallbackInfo& info) {
    std::lock_guard<std::mutex> lk(mutex);
    session_.reset();
    return info.Env().Undefined();
  }

  std::shared_ptr<Backend> backend_;
  std::unique_ptr<Session> session_;
};

class InferWorker : public Napi::AsyncWorker {
 public:
  InferWorker(Napi::Env env, NativeSession* owner, Napi::Object self, std::vector<std::vector<uint8_t>> inputs, int64_t batch)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), owner_(owner), inputs_(std::move(inputs)), batch_(batch) {
    selfRef_ = Napi::Persistent(self);  // the session object outlives the call
  }
  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    try {
      std::lock_guard<std::mutex> lk(owner_->mutex);
      auto& s = owner_->session();
      if (!s) throw BackendError("session is closed");
      // A batch given with the call: a mutable-batch model takes it; a fixed one refuses another.
      if (batch_ > 0 && !s->inputs().empty() && !s->inputs()[0].dims.empty() && s->inputs()[0].dims[0] != batch_) s->setBatch(batch_);
      if (inputs_.size() != s->inputs().size()) throw BackendError("expected " + std::to_string(s->inputs().size()) + " inputs, got " + std::to_string(inputs_.size()));
      for (size_t i = 0; i < inputs_.size(); ++i) s->setInput(i, inputs_[i].data(), inputs_[i].size());
      timing_ = s->infer();
      outputs_.resize(s->outputs().size());
      for (size_t i = 0; i < outputs_.size(); ++i) s->readOutput(i, outputs_[i]);
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Array outs = Napi::Array::New(env, outputs_.size());
    for (size_t i = 0; i < outputs_.size(); ++i) {
      auto arr = Napi::Float32Array::New(env, outputs_[i].size());
      if (!outputs_[i].empty()) std::memcpy(arr.Data(), outputs_[i].data(), outputs_[i].size() * sizeof(float));
      outs.Set(static_cast<uint32_t>(i), arr);
    }
    deferred_.Resolve(outs);
  }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  NativeSession* owner_;
  Napi::ObjectReference selfRef_;
  std::vector<std::vector<uint8_t>> inputs_;
  int64_t batch_;
  std::vector<std::vector<float>> outputs_;
  InferTiming timing_;
};

Napi::Value NativeSession::Infer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsArray()) throw Napi::TypeError::New(env, "infer expects an array of typed arrays");
  Napi::Array arr = info[0].As<Napi::Array>();
  std::vector<std::vector<uint8_t>> inputs(arr.Length());
  for (uint32_t i = 0; i < arr.Length(); ++i) {
    Napi::Value v = arr.Get(i);
    if (!v.IsTypedArray()) throw Napi::TypeError::New(env, "infer: input " + std::to_string(i) + " is not a typed array");
    Napi::TypedArray t = v.As<Napi::TypedArray>();
    const uint8_t* p = static_cast<const uint8_t*>(t.ArrayBuffer().Data()) + t.ByteOffset();
    inputs[i].assign(p, p + t.ByteLength());  // copied: JS may reuse its buffers at once
  }
  // infer(inputs, { batch }): the batch this call carries (optional).
  int64_t batch = 0;
  if (info.Length() > 1 && info[1].IsObject()) {
    Napi::Value b = info[1].As<Napi::Object>().Get("batch");
    if (b.IsNumber()) batch = static_cast<int64_t>(b.As<Napi::Number>().Int64Value());
  }
  auto* w = new InferWorker(env, this, info.This().As<Napi::Object>(), std::move(inputs), batch);
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

}  // namespace

Napi::Function NativeSessionClass(Napi::Env env) { return NativeSession::Init(env); }

}  // namespace infergate
