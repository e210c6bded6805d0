// TEST DOUBLE of the MagicMind runtime (CNRT is fake_cnrt.cc): a small "MLU" that runs a
// [N,224,224,3] UINT8 NHWC ResNet-like graph to [N,1000] float logits (class c scores
// (c + first byte) % 1000), with a configurable device time (FAKE_MM_LATENCY_US, reported through
// notifiers), and injected errors: FAKE_MM_FAIL_LOAD, FAKE_MM_ENQUEUE_FAIL. FAKE_MM_DYNAMIC_OUTPUT
// makes InferOutputShape fail (shapes known only after Enqueue); FAKE_MM_OUTPUT_TYPE=INT16|QINT8|
// INT4|UINT4 gives the output another type. Like the real overloads, Enqueue(in, out, q) writes
// into the caller's buffers and Enqueue(in, &out, q) allocates fresh outputs itself, every call,
// ignoring what the caller set; those allocations are counted (enqueue_allocs) and freed with
// the tensor. Tracks every allocation. An artifact written by the fake builder
// (test/fake-sdk/toolchain) sets what the model takes: batch (fixed or mutable), size, UINT8 NHWC
// when insert_bn moved normalisation in, else FLOAT32 normalised; a fixed batch refuses other
// dims at SetDimensions. FAKE_SDK_COLOUR=1 makes it the fake lab's colour classifier (fake_lab.h).
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <sys/stat.h>

#include "cnrt.h"
#include "fake_lab.h"
#include "fake_mm_state.h"
#include "mm_runtime.h"

using fakemm::Counter;
using fakemm::count;
using fakemm::knob;
using fakemm::log;

namespace magicmind {

int64_t Dims::GetElementCount() const {
  int64_t n = 1;
  for (auto d : dims_) n *= d;
  return n;
}

namespace {

DataType outputType() {
  const char* v = std::getenv("FAKE_MM_OUTPUT_TYPE");
  const std::string t = v ? v : "";
  return t == "INT16" ? DataType::INT16 : t == "QINT8" ? DataType::QINT8 : t == "INT4" ? DataType::INT4 : t == "UINT4" ? DataType::UINT4 : DataType::FLOAT32;
}

// What a model takes (from its artifact; the default is the mutable-batch UINT8 NHWC 224x224 model).
struct ModelConfig {
  std::vector<int64_t> dims{-1, 224, 224, 3};
  DataType type = DataType::UINT8;
  Layout layout = Layout::NHWC;
};

std::string dimsText(const std::vector<int64_t>& d) {
  std::string s = "[";
  for (size_t i = 0; i < d.size(); ++i) s += (i ? "," : "") + std::to_string(d[i]);
  return s + "]";
}

class FakeTensor : public IRTTensor {
 public:
  FakeTensor(std::string name, DataType t, Layout l, Dims d) : name_(std::move(name)), type_(t), layout_(l), dims_(std::move(d)), model_(dims_) { count(Counter::kLiveObjects, 1); }
  std::string GetName() const override { return name_; }
  // As strict as a built model: a dimension the model fixed cannot be set to anything else.
  Status SetDimensions(const Dims& d) override {
    log("IRTTensor::SetDimensions " + name_);
    const auto& want = model_.GetDims();
    bool fits = d.GetDims().size() == want.size();
    for (size_t i = 0; fits && i < want.size(); ++i) fits = want[i] < 0 ? d.GetDims()[i] > 0 : d.GetDims()[i] == want[i];
    if (!fits) return Status(4, "dims " + dimsText(d.GetDims()) + " do not fit tensor " + name_ + " of the model " + dimsText(want));
    dims_ = d;
    return Status::OK();
  }
  Dims GetDimensions() const override { return dims_; }
  DataType GetDataType() const override { return type_; }
  Layout GetLayout() const override { return layout_; }
  TensorLocation GetMemoryLocation() const override { return TensorLocation::kMLU; }
  // Unknown while a dimension is (a mutable batch before SetDimensions, dynamic outputs).
  int64_t GetSize() const override {
    for (auto d : dims_.GetDims())
      if (d < 0) return -1;
    return dims_.GetElementCount() * (type_ == DataType::FLOAT32 ? 4 : type_ == DataType::INT16 ? 2 : 1);
  }
  Status SetData(void* p) override { log("IRTTensor::SetData " + name_); data_ = p; return Status::OK(); }
  void* GetMutableData() override { return data_; }
  void Destroy() override {
    log("IRTTensor::Destroy " + name_);
    freeOwned();
    count(Counter::kLiveObjects, -1);
    delete this;
  }
  // The pointer Enqueue: the runtime's own memory replaces whatever the caller set.
  void* allocateOwned(const Dims& d) {
    freeOwned();
    dims_ = d;
    owned_ = data_ = std::calloc(1, static_cast<size_t>(GetSize()));
    count(Counter::kLiveMlu, 1);
    count(Counter::kEnqueueAllocs, 1);
    return owned_;
  }

 private:
  void freeOwned() {
    if (!owned_) return;
    std::free(owned_);
    owned_ = nullptr;
    count(Counter::kLiveMlu, -1);
  }
  std::string name_;
  DataType type_;
  Layout layout_;
  Dims dims_;
  Dims model_;
  void* data_ = nullptr;
  void* owned_ = nullptr;
};

class FakeContext : public IContext {
 public:
  explicit FakeContext(ModelConfig cfg) : cfg(std::move(cfg)) { count(Counter::kLiveObjects, 1); }
  const ModelConfig cfg;
  Status InferOutputShape(const std::vector<IRTTensor*>& in, std::vector<IRTTensor*>& out) override {
    log("IContext::InferOutputShape");
    if (knob("FAKE_MM_DYNAMIC_OUTPUT")) return Status(3, "output shape depends on the input data");
    out[0]->SetDimensions(Dims({in[0]->GetDimensions().GetDims()[0], 1000}));
    return Status::OK();
  }
  Status Enqueue(const std::vector<IRTTensor*>& in, const std::vector<IRTTensor*>& out, void* queue) override {
    log("IContext::Enqueue(outputs set by the caller)");
    if (out[0]->GetMutableData() == nullptr || out[0]->GetSize() <= 0) return Status(2, "output " + out[0]->GetName() + " has no memory or shape: set both, or use the Enqueue overload that allocates");
    return run(in, out[0]->GetMutableData(), queue);
  }
  Status Enqueue(const std::vector<IRTTensor*>& in, std::vector<IRTTensor*>* out, void* queue) override {
    log("IContext::Enqueue(outputs allocated by the runtime)");
    void* y = static_cast<FakeTensor*>((*out)[0])->allocateOwned(Dims({in[0]->GetDimensions().GetDims()[0], 1000}));
    return run(in, y, queue);
  }
  void Destroy() override { log("IContext::Destroy"); count(Counter::kLiveObjects, -1); delete this; }

 private:
  Status run(const std::vector<IRTTensor*>& in, void* out, void* queue) {
    if (knob("FAKE_MM_ENQUEUE_FAIL")) return Status(1, "MLU core dump: kernel timeout in resnetv17_conv0 (injected)");
    const auto batch = in[0]->GetDimensions().GetDims()[0];
    const auto* x = static_cast<const uint8_t*>(in[0]->GetMutableData());
    auto* y = static_cast<float*>(out);
    const size_t per = static_cast<size_t>(in[0]->GetDimensions().GetElementCount() / batch);
    if (outputType() == DataType::FLOAT32 && fakelab::colourMode()) {
      const bool nchw = cfg.layout == Layout::NCHW;
      const std::vector<int64_t> d = in[0]->GetDimensions().GetDims();
      const int h = static_cast<int>(d[nchw ? 2 : 1]), w = static_cast<int>(d[nchw ? 3 : 2]);
      for (int64_t b = 0; b < batch; ++b) {
        const size_t at = static_cast<size_t>(b) * per;
        const auto m = cfg.type == DataType::UINT8 ? fakelab::fromU8(x + at, h, w, nchw) : fakelab::fromNormalisedF32(reinterpret_cast<const float*>(x) + at, h, w, nchw);
        fakelab::logits(m, y + b * 1000);
      }
    } else if (outputType() == DataType::FLOAT32)
      for (int64_t b = 0; b < batch; ++b)
        for (int c = 0; c < 1000; ++c) y[b * 1000 + c] = static_cast<float>((c + x[static_cast<size_t>(b) * per]) % 1000);
    const char* lat = std::getenv("FAKE_MM_LATENCY_US");
    const double us = lat ? std::atof(lat) : 100.0;
    std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(us)));
    static_cast<FakeCnrtQueue*>(queue)->lastDeviceUs += us;
    return Status::OK();
  }
};

class FakeEngine : public IEngine {
 public:
  explicit FakeEngine(ModelConfig cfg) : cfg_(std::move(cfg)) { count(Counter::kLiveObjects, 1); }
  IContext* CreateIContext() override { log("IEngine::CreateIContext"); return new FakeContext(cfg_); }
  void Destroy() override { log("IEngine::Destroy"); count(Counter::kLiveObjects, -1); delete this; }

 private:
  ModelConfig cfg_;
};

class FakeModel : public IModel {
 public:
  FakeModel() { count(Counter::kLiveObjects, 1); }
  Status DeserializeFromFile(const std::string& path) override {
    log("IModel::DeserializeFromFile " + path);
    struct stat st;
    if (knob("FAKE_MM_FAIL_LOAD") || stat(path.c_str(), &st) != 0) return Status(5, "cannot deserialize model from " + path + ": invalid model file");
    const auto kv = fakelab::readArtifact(path, "FAKE-MAGICMIND-MODEL 1");
    if (!kv.empty()) {  // written by the fake builder: what the built model takes
      cfg_.type = kv.count("input_dtype") && kv.at("input_dtype") == "FLOAT32" ? DataType::FLOAT32 : DataType::UINT8;
      cfg_.layout = kv.count("input_layout") && kv.at("input_layout") == "NCHW" ? Layout::NCHW : Layout::NHWC;
      const int64_t n = fakelab::intOf(kv, "batch", -1), h = fakelab::intOf(kv, "height", 224), w = fakelab::intOf(kv, "width", 224);
      cfg_.dims = cfg_.layout == Layout::NCHW ? std::vector<int64_t>{n, 3, h, w} : std::vector<int64_t>{n, h, w, 3};
    }
    return Status::OK();
  }
  std::vector<Dims> GetInputDimensions() const override { return {Dims(cfg_.dims)}; }
  IEngine* CreateIEngine(const EngineConfig& c) override {
    log("IModel::CreateIEngine " + c.GetDeviceType() + " const_data_init=" + (c.GetConstDataInit() ? "1" : "0"));
    return c.GetDeviceType() == "MLU" ? new FakeEngine(cfg_) : nullptr;
  }
  void Destroy() override { log("IModel::Destroy"); count(Counter::kLiveObjects, -1); delete this; }

 private:
  ModelConfig cfg_;
};

}  // namespace

IModel* CreateIModel() { log("CreateIModel"); return new FakeModel; }
Status CreateInputTensors(IContext* context, std::vector<IRTTensor*>* t) {
  log("CreateInputTensors");
  const ModelConfig& cfg = static_cast<FakeContext*>(context)->cfg;
  t->push_back(new FakeTensor("data", cfg.type, cfg.layout, Dims(cfg.dims)));
  return Status::OK();
}
Status CreateOutputTensors(IContext*, std::vector<IRTTensor*>* t) {
  log("CreateOutputTensors");
  t->push_back(new FakeTensor("resnetv17_dense0_fwd", outputType(), Layout::NONE, Dims({-1, 1000})));
  return Status::OK();
}

}  // namespace magicmind
