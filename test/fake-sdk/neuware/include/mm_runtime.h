/*
 * TEST DOUBLE. infergate's own minimal declarations of the MagicMind runtime classes its backend
 * uses (from the public magicmind_cloud samples). Not Cambricon's header. Never shipped.
 * As strict as the real runtime where it matters to callers: both Enqueue overloads (const
 * reference: the caller's pre-allocated outputs; pointer: the runtime allocates them), a
 * DataType with more members than the backend handles, and GetSize() returning a signed 64-bit
 * count (the real return type is not public; samples store it in int64_t).
 */
#ifndef INFERGATE_FAKE_MM_RUNTIME_H
#define INFERGATE_FAKE_MM_RUNTIME_H
#include <cstdint>
#include <string>
#include <vector>

namespace magicmind {

class Status {
 public:
  Status() = default;
  Status(int code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status OK() { return Status(); }
  bool ok() const { return code_ == 0; }
  std::string ToString() const { return ok() ? "OK" : message_; }

 private:
  int code_ = 0;
  std::string message_;
};

// Member order and values are ours: callers use the names only.
enum class DataType {
  INVALID, BOOL,
  FLOAT16, BFLOAT16, FLOAT32, FLOAT64,
  INT4, UINT4, INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64,
  QINT4, QINT8, QINT16,
};
enum class Layout { NONE, NCHW, NHWC, NCT, NTC, NDHWC, NCDHW, ARRAY };
enum class TensorLocation { kHost, kMLU, kRemoteHost, kRemoteMLU };

class Dims {
 public:
  Dims() = default;
  explicit Dims(std::vector<int64_t> d) : dims_(std::move(d)) {}
  const std::vector<int64_t>& GetDims() const { return dims_; }
  int64_t GetElementCount() const;

 private:
  std::vector<int64_t> dims_;
};

class IRTTensor {
 public:
  virtual ~IRTTensor() = default;
  virtual std::string GetName() const = 0;
  virtual Status SetDimensions(const Dims& dims) = 0;
  virtual Dims GetDimensions() const = 0;
  virtual DataType GetDataType() const = 0;
  virtual Layout GetLayout() const = 0;
  virtual TensorLocation GetMemoryLocation() const = 0;
  virtual int64_t GetSize() const = 0;
  virtual Status SetData(void* data) = 0;
  virtual void* GetMutableData() = 0;
  virtual void Destroy() = 0;
};

class IContext {
 public:
  virtual ~IContext() = default;
  virtual Status InferOutputShape(const std::vector<IRTTensor*>& inputs, std::vector<IRTTensor*>& outputs) = 0;
  // Outputs whose shapes and memory the caller set up (after InferOutputShape).
  virtual Status Enqueue(const std::vector<IRTTensor*>& inputs, const std::vector<IRTTensor*>& outputs, void* queue) = 0;
  // The runtime allocates the outputs' memory (dynamic shapes); read sizes afterwards.
  virtual Status Enqueue(const std::vector<IRTTensor*>& inputs, std::vector<IRTTensor*>* outputs, void* queue) = 0;
  virtual void Destroy() = 0;
};

class IEngine {
 public:
  virtual ~IEngine() = default;
  virtual IContext* CreateIContext() = 0;
  virtual void Destroy() = 0;
};

class IModel {
 public:
  class EngineConfig {
   public:
    void SetDeviceType(const std::string& type) { device_ = type; }
    const std::string& GetDeviceType() const { return device_; }
    void SetConstDataInit(bool init) { constDataInit_ = init; }
    bool GetConstDataInit() const { return constDataInit_; }

   private:
    std::string device_;
    bool constDataInit_ = false;
  };
  virtual ~IModel() = default;
  virtual Status DeserializeFromFile(const std::string& path) = 0;
  virtual std::vector<Dims> GetInputDimensions() const = 0;
  virtual IEngine* CreateIEngine(const EngineConfig& config) = 0;
  virtual void Destroy() = 0;
};

IModel* CreateIModel();
Status CreateInputTensors(IContext* context, std::vector<IRTTensor*>* tensors);
Status CreateOutputTensors(IContext* context, std::vector<IRTTensor*>* tensors);

}  // namespace magicmind
#endif
