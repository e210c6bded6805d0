// MagicMind backend (Cambricon MLU370). Compiled only where NEUWARE_HOME (default
// /usr/local/neuware) has include/mm_runtime.h and include/cnrt.h. One context and queue per
// session (per thread). The documented sequence:
//   cnrtSetDevice -> cnrtQueueCreate -> CreateIModel -> DeserializeFromFile -> EngineConfig
//   SetDeviceType("MLU") -> CreateIEngine -> CreateIContext -> CreateInput/OutputTensors
//   -> SetDimensions -> cnrtMalloc + SetData -> InferOutputShape (else Enqueue allocates)
//   -> H2D -> Enqueue -> cnrtQueueSync -> D2H; Destroy in reverse.
// Device compute time comes from notifiers placed around Enqueue, beside host latency (mm_run).
#include <algorithm>
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

DType dtypeOf(magicmind::DataType t) {
  switch (t) {
    case magicmind::DataType::FLOAT32: return DType::F32;
    case magicmind::DataType::FLOAT16: return DType::F16;
    case magicmind::DataType::UINT8: return DType::U8;
    case magicmind::DataType::INT8: return DType::S8;
    case magicmind::DataType::INT32: return DType::S32;
  }
  return DType::F32;
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
      engine_ = model_->CreateIEngine(config);
      if (!engine_) throw BackendError("IModel::CreateIEngine returned null for device type MLU");
      context_ = engine_->CreateIContext();
      if (!context_) throw BackendError("IEngine::CreateIContext returned null");
      check(magicmind::CreateInputTensors(context_, &in_), "CreateInputTensors");
      check(magicmind::CreateOutputTensors(context_, &out_), "CreateOutputTensors");
      const auto batch = static_cast<int64_t>(optionNumber(o, "batch", 1));
      const auto modelDims = model_->GetInputDimensions();
      for (size_t i = 0; i < in_.size(); ++i) {
        std::vector<int64_t> dims = i < modelDims.size() ? modelDims[i].GetDims() : in_[i]->GetDimensions().GetDims();
        if (!dims.empty() && dims[0] < 0) dims[0] = batch;  // a mutable batch takes the case's batch
        check(in_[i]->SetDimensions(magicmind::Dims(dims)), "IRTTensor::SetDimensions");
        // The input's type and layout are read from the model: UINT8 NHWC when normalisation was built in.
        TensorDesc d{in_[i]->GetName(), dtypeOf(in_[i]->GetDataType()), dims, in_[i]->GetSize(),
                     in_[i]->GetLayout() == magicmind::Layout::NHWC ? "NHWC" : in_[i]->GetLayout() == magicmind::Layout::NCHW ? "NCHW" : ""};
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
        TensorDesc d{t->GetName(), dtypeOf(t->GetDataType()), t->GetDimensions().GetDims(), t->GetSize(), ""};
        outDesc_.push_back(d);
        hostOut_.emplace_back(d.bytes);
        if (outputsPreallocated_) {
          void* dev = nullptr;
          check(cnrtMalloc(&dev, d.bytes), "cnrtMalloc(output)");
          deviceBuffers_.push_back(dev);
          check(t->SetData(dev), "IRTTensor::SetData(output)");
        }
      }
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

  void setInput(size_t index, const void* data, size_t bytes) override {
    if (bytes != hostIn_.at(index).size()) throw BackendError("magicmind: input " + std::to_string(index) + " of " + std::to_string(bytes) + " bytes, expected " + std::to_string(hostIn_[index].size()));
    std::memcpy(hostIn_[index].data(), data, bytes);
  }

  InferTiming infer() override {
    for (size_t i = 0; i < in_.size(); ++i)
      if (devIn_[i]) check(cnrtMemcpy(devIn_[i], hostIn_[i].data(), hostIn_[i].size(), cnrtMemcpyHostToDev), "cnrtMemcpy(H2D)");
    check(cnrtPlaceNotifier(start_, queue_), "cnrtPlaceNotifier");
    check(context_->Enqueue(in_, &out_, queue_), "IContext::Enqueue");
    check(cnrtPlaceNotifier(end_, queue_), "cnrtPlaceNotifier");
    check(cnrtQueueSync(queue_), "cnrtQueueSync");
    float us = 0;
    check(cnrtNotifierDuration(start_, end_, &us), "cnrtNotifierDuration");
    for (size_t i = 0; i < out_.size(); ++i) {
      const size_t bytes = std::min(hostOut_[i].size(), out_[i]->GetSize());
      if (out_[i]->GetMemoryLocation() == magicmind::TensorLocation::kMLU) check(cnrtMemcpy(hostOut_[i].data(), out_[i]->GetMutableData(), bytes, cnrtMemcpyDevToHost), "cnrtMemcpy(D2H)");
      else std::memcpy(hostOut_[i].data(), out_[i]->GetMutableData(), bytes);
    }
    return InferTiming{us / 1000.0};
  }

  void readOutput(size_t index, std::vector<float>& out) override {
    if (outDesc_.at(index).dtype != DType::F32) throw BackendError("magicmind: output " + outDesc_[index].name + " is " + dtypeName(outDesc_[index].dtype) + "; only float32 outputs are read yet");
    out.resize(hostOut_[index].size() / 4);
    std::memcpy(out.data(), hostOut_[index].data(), out.size() * 4);
  }

 private:
  void release() {
    if (end_) cnrtNotifierDestroy(end_);
    if (start_) cnrtNotifierDestroy(start_);
    end_ = start_ = nullptr;
    for (auto* t : out_) t->Destroy();
    for (auto* t : in_) t->Destroy();
    out_.clear();
    in_.clear();
    for (void* p : deviceBuffers_) cnrtFree(p);
    deviceBuffers_.clear();
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
