// The backend interface of the native layer: open an artifact, describe its tensors, set inputs,
// infer one batch, read outputs, report versions. Policy (what to run, how long, statistics)
// lives in TypeScript; this layer only calls runtimes and keeps time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace infergate {

enum class DType { F32, F16, U8, S8, S16, S32 };
const char* dtypeName(DType t);
size_t dtypeSize(DType t);

struct TensorDesc {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> dims;
  size_t bytes = 0;
  std::string layout;  // "NCHW", "NHWC", "NV12", or ""
  // The model takes a batch chosen per call (MagicMind graph_shape_mutable): setBatch() may change dims[0].
  bool mutableBatch = false;
};

using Options = std::map<std::string, std::string>;

// An error carrying the runtime's own message, surfaced to JS unchanged.
class BackendError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct InferTiming {
  double deviceMs = -1;  // device compute time where the runtime reports it (MagicMind notifiers)
};

class Session {
 public:
  virtual ~Session() = default;
  virtual const std::vector<TensorDesc>& inputs() const = 0;
  virtual const std::vector<TensorDesc>& outputs() const = 0;
  // A mutable-batch model takes the batch per call: dims, sizes and buffers follow. A fixed-batch
  // model refuses any batch but its own (the caller pads a short last batch instead).
  virtual void setBatch(int64_t batch) {
    if (inputs().empty() || inputs()[0].dims.empty() || inputs()[0].dims[0] != batch)
      throw BackendError("this model has a fixed batch of " + (inputs().empty() || inputs()[0].dims.empty() ? std::string("?") : std::to_string(inputs()[0].dims[0])) + "; it cannot run a batch of " + std::to_string(batch));
  }
  virtual void setInput(size_t index, const void* data, size_t bytes) = 0;
  virtual InferTiming infer() = 0;
  // Outputs as float32, dequantised where the runtime hands back integers.
  virtual void readOutput(size_t index, std::vector<float>& out) = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::unique_ptr<Session> open(const std::string& artifact, const Options& options) = 0;
  virtual std::map<std::string, std::string> versions() = 0;
};

// Backends compiled into this build ("sim" always; "hbdnn", "magicmind" where their SDK was found).
std::vector<std::string> compiledBackends();
// Throws BackendError for a backend this build does not have.
std::shared_ptr<Backend> backendFor(const std::string& id);

// Option helpers: missing keys take the default; malformed values are BackendErrors naming the key.
std::string optionString(const Options& o, const std::string& key, const std::string& fallback);
double optionNumber(const Options& o, const std::string& key, double fallback);
std::vector<int64_t> optionDims(const Options& o, const std::string& key, const std::vector<int64_t>& fallback);

}  // namespace infergate
