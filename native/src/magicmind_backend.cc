// MagicMind backend (Cambricon MLU370). Compiled only where NEUWARE_HOME (default
// /usr/local/neuware) has include/mm_runtime.h and include/cnrt.h. One context and queue per
// session (per thread). The documented sequence:
//   cnrtSetDevice -> cnrtQueueCreate -> CreateIModel -> DeserializeFromFile -> EngineConfig
//   SetDeviceType("MLU") -> CreateIEngine -> CreateIContext -> CreateInput/OutputTensors
//   -> SetDimensions -> cnrtMalloc + SetData -> InferOutputShape -> H2D -> Enqueue
//   -> cnrtQueueSync -> D2H; Destroy in reverse.
// Enqueue has two overloads (magicmind_cloud deeplabv3_tensorflow infer_cpp): when
// InferOutputShape succeeds we allocate the outputs once and pass them by const reference;
// only when it fails (dynamic output shapes) do we pass a pointer, the runtime allocates the
// outputs in every call, and their sizes are read after it.
// IRTTensor::GetSize()'s return type is not public (samples keep it in int64_t): every use goes
// through sizeOf() below, which is correct whether it is signed or unsigned.
// Device compute time comes from notifiers placed around Enqueue, beside host latency (mm_run).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <cnrt.h>
#include <mm_runtime.h>

#include "backend.h"

namespace infergate {
namespace {

void check(cnrtRet_t rc, const std::string& call) {
  if (rc != cnrtSuccess) throw BackendError(call + " failed: " + cnrtGetErrorStr(rc));
}
void check(const magicmind::Status& s, const std::string& call) {
  if (!s.ok()) throw BackendError(call + " failed: " + s.ToString());
}

// Not a switch: the real DataType has members (and names) we cannot list portably, and a
// switch over a subset fails -Wswitch-enum. Anything else is an error naming the tensor.
DType dtypeOf(magicmind::IRTTensor* t) {
  const magicmind::DataType d = t->GetDataType();
  if (d == magicmind::DataType::FLOAT32) return DType::F32;
  if (d == magicmind::DataType::FLOAT16) return DType::F16;
  if (d == magicmind::DataType::UINT8) return DType::U8;
  if (d == magicmind::DataType::INT8) return DType::S8;
  if (d == magicmind::DataType::INT32) return DType::S32;
  throw BackendError("magicmind: tensor " + t->GetName() + " has data type " + std::to_string(static_cast<int64_t>(d)) + " (magicmind::DataType), which infergate does not handle yet");
}

// GetSize() as bytes; an unknown size (negative while a dimension is unknown) is 0.
size_t sizeOf(magicmind::IRTTensor* t) {
  const int64_t size = static_cast<int64_t>(t->GetSize());
  return size > 0 ? static_cast<size_t>(size) : 0;
}

class MagicMindSession : public Session {
 public:
  MagicMindSession(const std::string& artifact, const Options& o) {
    try {
      check(cnrtSetDevice(static_cast<int>(optionNumber(o, "device", 0))), "cnrtSetDevice");
      check(cnrtQueueCreate(&queue_), "cnrtQueueCreate");
      model_ = magicmind::CreateIModel();
      if (!model_) throw BackendError("magicmind::CreateIModel returned null");
      check(model_->DeserializeFromFile(artifact), "IModel::DeserializeFromFile(" + artifact + ")");
      magicmind::IModel::EngineConfig config;
      config.SetDeviceType("MLU");
      config.SetConstDataInit(true);  // constants initialised at engine creation, not in the first calls
      engine_ = model_->CreateIEngine(config);
      if (!engine_) throw BackendError("IModel::CreateIEngine returned null for device type MLU");
      context_ = engine_->CreateIContext();
      if (!context_) throw BackendError("IEngine::CreateIContext returned null");
      check(magicmind::CreateInputTensors(context_, &in_), "CreateInputTensors");
      check(magicmind::CreateOutputTensors(context_, &out_), "CreateOutputTensors");
      modelDims_ = model_->GetInputDimensions();
      allocate(static_cast<int64_t>(optionNumber(o, "batch", 1)));
      check(cnrtNotifierCreate(&start_), "cnrtNotifierCreate");
      check(cnrtNotifierCreate(&end_), "cnrtNotifierCreate");
    } catch (...) {
      release();
      throw;
    }
  }

  ~MagicMindSession() override { release(); }

  const std::vector<TensorDesc>& inputs() const override { return inDesc_; }
  const std::vector<TensorDesc>& outputs() const override { return outDesc_; }

  // A mutable batch (the model's dims[0] < 0) takes new dims per call: SetDimensions, then sizes,
  // device memory and output shapes again. A fixed batch refuses (the caller pads instead).
  void setBatch(int64_t batch) override {
    if (!inDesc_.empty() && !inDesc_[0].dims.empty() && inDesc_[0].dims[0] == batch) return;
    if (inDesc_.empty() || !inDesc_[0].mutableBatch) Session::setBatch(batch);
    freeBuffers();
    allocate(batch);
  }

  void setInput(size_t index, const void* data, size_t bytes) override {
    if (bytes != hostIn_.at(index).size()) throw BackendError("magicmind: input " + std::to_string(index) + " of " + std::to_string(bytes) + " bytes, expected " + std::to_string(hostIn_[index].size()));
    std::memcpy(hostIn_[index].data(), data, bytes);
  }

  InferTiming infer() override {
    for (size_t i = 0; i < in_.size(); ++i)
      if (devIn_[i]) check(cnrtMemcpy(devIn_[i], hostIn_[i].data(), hostIn_[i].size(), cnrtMemcpyHostToDev), "cnrtMemcpy(H2D)");
    check(cnrtPlaceNotifier(start_, queue_), "cnrtPlaceNotifier");
    if (outputsPreallocated_) check(context_->Enqueue(in_, out_, queue_), "IContext::Enqueue");
    else check(context_->Enqueue(in_, &out_, queue_), "IContext::Enqueue");
    check(cnrtPlaceNotifier(end_, queue_), "cnrtPlaceNotifier");
    check(cnrtQueueSync(queue_), "cnrtQueueSync");
    float us = 0;
    check(cnrtNotifierDuration(start_, end_, &us), "cnrtNotifierDuration");
    for (size_t i = 0; i < out_.size(); ++i) {
      if (!outputsPreallocated_) {  // the runtime chose the shapes in this call
        hostOut_[i].resize(sizeOf(out_[i]));
        outDesc_[i].dims = out_[i]->GetDimensions().GetDims();
        outDesc_[i].bytes = hostOut_[i].size();
      }
      const size_t bytes = std::min(hostOut_[i].size(), sizeOf(out_[i]));
      if (out_[i]->GetMemoryLocation() == magicmind::TensorLocation::kMLU) check(cnrtMemcpy(hostOut_[i].data(), out_[i]->GetMutableData(), bytes, cnrtMemcpyDevToHost), "cnrtMemcpy(D2H)");
      else std::memcpy(hostOut_[i].data(), out_[i]->GetMutableData(), bytes);
    }
    return InferTiming{us / 1000.0};
  }

  // Float outputs (a quantised model dequantises inside: its outputs are float32 or float16).
  // Integer outputs carry no scale this API exposes, so they are refused rather than guessed.
  void readOutput(size_t index, std::vector<float>& out) override {
    const DType t = outDesc_.at(index).dtype;
    const auto& raw = hostOut_[index];
    if (t == DType::F32) {
      out.resize(raw.size() / 4);
      std::memcpy(out.data(), raw.data(), out.size() * 4);
    } else if (t == DType::F16) {
      out.resize(raw.size() / 2);
      for (size_t i = 0; i < out.size(); ++i) {
        uint16_t h;
        std::memcpy(&h, raw.data() + 2 * i, 2);
        out[i] = halfToFloat(h);
      }
    } else {
      throw BackendError("magicmind: output " + outDesc_[index].name + " is " + dtypeName(t) + "; only float32 and float16 outputs are read (build the model with float outputs)");
    }
  }

 private:
  static float halfToFloat(uint16_t h) {
    const uint32_t sign = (h >> 15) & 1u, exp = (h >> 10) & 0x1fu, man = h & 0x3ffu;
    float v;
    if (exp == 0) v = std::ldexp(static_cast<float>(man), -24);
    else if (exp == 31) v = man ? std::nanf("") : INFINITY;
    else v = std::ldexp(static_cast<float>(man | 0x400u), static_cast<int>(exp) - 25);
    return sign ? -v : v;
  }

  // Dimensions, sizes and memory for one batch: inputs from the model's dims (a mutable batch
  // takes `batch`), outputs from InferOutputShape (or, dynamic, from each Enqueue).
  void allocate(int64_t batch) {
    inDesc_.clear();
    outDesc_.clear();
    hostIn_.clear();
    hostOut_.clear();
    devIn_.clear();
    for (size_t i = 0; i < in_.size(); ++i) {
      std::vector<int64_t> dims = i < modelDims_.size() ? modelDims_[i].GetDims() : in_[i]->GetDimensions().GetDims();
      const bool mutableBatch = !dims.empty() && dims[0] < 0;
      if (mutableBatch) dims[0] = batch;  // a mutable batch takes the batch asked for
      check(in_[i]->SetDimensions(magicmind::Dims(dims)), "IRTTensor::SetDimensions");
      // The input's type and layout are read from the model: UINT8 NHWC when normalisation was built in.
      TensorDesc d{in_[i]->GetName(), dtypeOf(in_[i]), dims, sizeOf(in_[i]),
                   in_[i]->GetLayout() == magicmind::Layout::NHWC ? "NHWC" : in_[i]->GetLayout() == magicmind::Layout::NCHW ? "NCHW" : "", mutableBatch};
      if (d.bytes == 0) throw BackendError("magicmind: input " + d.name + " has no size after SetDimensions");
      inDesc_.push_back(d);
      hostIn_.emplace_back(d.bytes);
      void* dev = nullptr;
      if (in_[i]->GetMemoryLocation() == magicmind::TensorLocation::kMLU) {
        check(cnrtMalloc(&dev, d.bytes), "cnrtMalloc(input)");
        deviceBuffers_.push_back(dev);
        check(in_[i]->SetData(dev), "IRTTensor::SetData(input)");
      } else {
        check(in_[i]->SetData(hostIn_.back().data()), "IRTTensor::SetData(input)");
      }
      devIn_.push_back(dev);
    }
    outputsPreallocated_ = context_->InferOutputShape(in_, out_).ok();
    for (auto* t : out_) {
      // Dynamic outputs: size and shape are unknown (0 bytes) until the first Enqueue.
      TensorDesc d{t->GetName(), dtypeOf(t), t->GetDimensions().GetDims(), outputsPreallocated_ ? sizeOf(t) : 0, ""};
      outDesc_.push_back(d);
      hostOut_.emplace_back(d.bytes);
      if (outputsPreallocated_) {
        void* dev = nullptr;
        check(cnrtMalloc(&dev, d.bytes), "cnrtMalloc(output)");
        deviceBuffers_.push_back(dev);
        check(t->SetData(dev), "IRTTensor::SetData(output)");
      }
    }
  }

  void freeBuffers() {
    for (void* p : deviceBuffers_) cnrtFree(p);
    deviceBuffers_.clear();
  }

  void release() {
    if (end_) cnrtNotifierDestroy(end_);
    if (start_) cnrtNotifierDestroy(start_);
    end_ = start_ = nullptr;
    for (auto* t : out_) t->Destroy();
    for (auto* t : in_) t->Destroy();
    out_.clear();
    in_.clear();
    freeBuffers();
    if (context_) context_->Destroy();
    if (engine_) engine_->Destroy();
    if (model_) model_->Destroy();
    context_ = nullptr;
    engine_ = nullptr;
    model_ = nullptr;
    if (queue_) cnrtQueueDestroy(queue_);
    queue_ = nullptr;
  }

  cnrtQueue_t queue_ = nullptr;
  cnrtNotifier_t start_ = nullptr, end_ = nullptr;
  magicmind::IModel* model_ = nullptr;
  magicmind::IEngine* engine_ = nullptr;
  magicmind::IContext* context_ = nullptr;
  std::vector<magicmind::IRTTensor*> in_, out_;
  std::vector<void*> devIn_, deviceBuffers_;
  std::vector<std::vector<uint8_t>> hostIn_, hostOut_;
  std::vector<TensorDesc> inDesc_, outDesc_;
  std::vector<magicmind::Dims> modelDims_;
  bool outputsPreallocated_ = false;
};

class MagicMindBackend : public Backend {
 public:
  std::unique_ptr<Session> open(const std::string& artifact, const Options& options) override { return std::make_unique<MagicMindSession>(artifact, options); }
  std::map<std::string, std::string> versions() override {
    int a = 0, b = 0, c = 0;
    check(cnrtGetLibVersion(&a, &b, &c), "cnrtGetLibVersion");
    const std::string lib = std::to_string(a) + "." + std::to_string(b) + "." + std::to_string(c);
    check(cnrtDriverGetVersion(&a, &b, &c), "cnrtDriverGetVersion");
    return {{"cnrt", lib}, {"mlu-driver", std::to_string(a) + "." + std::to_string(b) + "." + std::to_string(c)}};
  }
};

}  // namespace

std::shared_ptr<Backend> makeMagicMindBackend() { return std::make_shared<MagicMindBackend>(); }

}  // namespace infergate
