/*
 * TEST DOUBLE. infergate's own minimal declarations of the MagicMind runtime classes its backend
 * uses (from the public magicmind_cloud samples). Not Cambricon's header. Never shipped.
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

enum class DataType { FLOAT32, FLOAT16, UINT8, INT8, INT32 };
enum class Layout { NCHW, NHWC, NONE };
enum class TensorLocation { kHost, kMLU };

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
  virtual size_t GetSize() const = 0;
  virtual Status SetData(void* data) = 0;
  virtual void* GetMutableData() = 0;
  virtual void Destroy() = 0;
};

class IContext {
 public:
  virtual ~IContext() = default;
  virtual Status InferOutputShape(const std::vector<IRTTensor*>& inputs, std::vector<IRTTensor*>& outputs) = 0;
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

   private:
    std::string device_;
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
